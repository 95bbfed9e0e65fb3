// Output stage of a last layer that emits class scores: each PE's ACC_BITS accumulator,
// sign-extended to OUT_BITS, registered on en.
module qnn_scores #(
    parameter PE = 1,
    parameter ACC_BITS = 16,
    parameter OUT_BITS = 16
) (
    input  wire                   clk,
    input  wire                   rst,
    input  wire                   en,
    input  wire                   in_valid,
    input  wire [PE*ACC_BITS-1:0] in_acc,
    output reg                    out_valid,
    output reg  [PE*OUT_BITS-1:0] out_data
);
    wire [PE*OUT_BITS-1:0] scores;
    genvar p;
    generate
        for (p = 0; p < PE; p = p + 1) begin : pe
            wire signed [ACC_BITS-1:0] acc = in_acc[p*ACC_BITS +: ACC_BITS];
            wire signed [OUT_BITS-1:0] score = acc;
            assign scores[p*OUT_BITS +: OUT_BITS] = score;
        end
    endgenerate
    always @(posedge clk) begin
        if (rst)
            out_valid <= 1'b0;
        else if (en)
            out_valid <= in_valid;
    end
    always @(posedge clk)
        if (en)
            out_data <= scores;
endmodule
