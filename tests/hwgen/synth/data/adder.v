// Registered-free W-bit adder: sum = a + b (W + 1 bits).
module adder #(parameter W = 16) (
    input  wire [W-1:0] a,
    input  wire [W-1:0] b,
    output wire [W:0]   sum
);
    assign sum = a + b;
endmodule
