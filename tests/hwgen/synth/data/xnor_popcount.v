// One binarised PE lane: popcount(~(w ^ x)) over N bits, registered.
module xnor_popcount #(parameter N = 64, parameter CW = 7) (
    input  wire          clk,
    input  wire [N-1:0]  w,
    input  wire [N-1:0]  x,
    output reg  [CW-1:0] count
);
    wire [N-1:0] agree = ~(w ^ x);
    integer i;
    reg [CW-1:0] sum;
    always @* begin
        sum = {CW{1'b0}};
        for (i = 0; i < N; i = i + 1)
            sum = sum + agree[i];
    end
    always @(posedge clk)
        count <= sum;
endmodule
