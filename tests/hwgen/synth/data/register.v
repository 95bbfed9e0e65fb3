// W-bit register with clock enable and synchronous reset.
module register #(parameter W = 32) (
    input  wire         clk,
    input  wire         rst,
    input  wire         en,
    input  wire [W-1:0] d,
    output reg  [W-1:0] q
);
    always @(posedge clk)
        if (rst)
            q <= {W{1'b0}};
        else if (en)
            q <= d;
endmodule
