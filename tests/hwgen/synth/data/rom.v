// DEPTH x W ROM with a registered read, filled with a fixed pseudo-random pattern.
module rom #(parameter W = 32, parameter DEPTH = 1024, parameter AW = 10) (
    input  wire          clk,
    input  wire [AW-1:0] addr,
    output reg  [W-1:0]  data
);
    reg [W-1:0] mem [0:DEPTH-1];
    integer i;
    initial
        for (i = 0; i < DEPTH; i = i + 1)
            mem[i] = i * 32'h9E3779B1 + 32'h7F4A7C15;
    always @(posedge clk)
        data <= mem[addr];
endmodule
