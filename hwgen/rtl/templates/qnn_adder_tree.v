// Balanced adder tree: the signed sum of N signed IN_BITS-bit terms.
// Each level adds pairs of subtrees of exact width, so the output has IN_BITS + ceil(log2 N) bits.
module qnn_adder_tree #(
    parameter N = 2,
    parameter IN_BITS = 2,
    parameter OUT_BITS = IN_BITS + $clog2(N)
) (
    input  wire [N*IN_BITS-1:0]       terms,
    output wire signed [OUT_BITS-1:0] sum
);
    generate
        if (N == 1) begin : leaf
            assign sum = $signed(terms);
        end else begin : node
            localparam NL = N / 2;
            localparam NR = N - NL;
            localparam LB = IN_BITS + $clog2(NL);
            localparam RB = IN_BITS + $clog2(NR);
            wire signed [LB-1:0] left_sum;
            wire signed [RB-1:0] right_sum;
            qnn_adder_tree #(.N(NL), .IN_BITS(IN_BITS)) left (
                .terms(terms[NL*IN_BITS-1:0]), .sum(left_sum));
            qnn_adder_tree #(.N(NR), .IN_BITS(IN_BITS)) right (
                .terms(terms[N*IN_BITS-1:NL*IN_BITS]), .sum(right_sum));
            assign sum = left_sum + right_sum;
        end
    endgenerate
endmodule
