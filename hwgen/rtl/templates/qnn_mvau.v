// Streaming matrix-vector unit: PE processing elements of SIMD lanes each.
//
// For every image it runs NF x SF steps (neuron fold nf, synapse fold sf), one per enabled
// cycle. At nf = 0 it reads an input word of SIMD elements and keeps it in its input buffer;
// later neuron folds reread the buffer. The weight memory (outside, read address w_addr,
// data one cycle later) holds for step nf * SF + sf the SIMD weights of every PE, PE p in bits
// [p*SIMD*W_BITS +: SIMD*W_BITS], lane j at [j*W_BITS +: W_BITS].
//
// Lane products: XNOR = 1: [weight bit == input bit] (popcount); otherwise the signed product
// of the decoded weight (W_BIPOLAR: bit 1 = +1, 0 = -1; else W_BITS-bit two's complement) and
// the decoded input (IN_MODE 2: bipolar bit, 1: IN_BITS-bit two's complement, 0: unsigned).
// An adder tree sums the lanes of a PE; the accumulator is ACC_BITS-bit two's complement and
// wraps. After the last synapse fold the PE accumulators leave with their neuron fold.
//
// Flow control: every register moves only when en (the downstream stage can take a result);
// in_ready is en at nf = 0.
module qnn_mvau #(
    parameter SIMD = 1,
    parameter PE = 1,
    parameter SF = 1,
    parameter NF = 1,
    parameter SF_BITS = 1,
    parameter NF_BITS = 1,
    parameter WA_BITS = 1,
    parameter W_BITS = 1,
    parameter W_BIPOLAR = 1,
    parameter IN_BITS = 1,
    parameter IN_MODE = 2,
    parameter XNOR = 0,
    parameter ACC_BITS = 16
) (
    input  wire                     clk,
    input  wire                     rst,
    input  wire                     en,
    input  wire [SIMD*IN_BITS-1:0]  in_data,
    input  wire                     in_valid,
    output wire                     in_ready,
    output wire [WA_BITS-1:0]       w_addr,
    input  wire [PE*SIMD*W_BITS-1:0] w_data,
    output reg                      out_valid,
    output reg  [PE*ACC_BITS-1:0]   out_acc,
    output reg  [NF_BITS-1:0]       out_nf
);
    // decoded value widths and the product width
    localparam WV_BITS = W_BIPOLAR ? 2 : W_BITS;
    localparam XV_BITS = IN_MODE == 2 ? 2 : (IN_MODE == 1 ? IN_BITS : IN_BITS + 1);
    localparam P_BITS = XNOR ? 2 : WV_BITS + XV_BITS;
    localparam DOT_BITS = P_BITS + $clog2(SIMD);

    // ---- step counters and the input buffer (issue stage)
    reg [SF_BITS-1:0] sf;
    reg [NF_BITS-1:0] nf;
    reg [WA_BITS-1:0] wa;
    wire need_input = nf == 0;
    wire fire = en && (!need_input || in_valid);
    assign in_ready = en && need_input;
    assign w_addr = wa;

    reg [SIMD*IN_BITS-1:0] buffer [0:SF-1];
    reg [SIMD*IN_BITS-1:0] x1;
    reg valid1, first1, last1;
    reg [NF_BITS-1:0] nf1;

    always @(posedge clk) begin
        if (rst) begin
            sf <= 0;
            nf <= 0;
            wa <= 0;
            valid1 <= 1'b0;
        end else if (en) begin
            valid1 <= fire;
            if (fire) begin
                if (sf == SF - 1) begin
                    sf <= 0;
                    nf <= (nf == NF - 1) ? 0 : nf + 1'b1;
                end else begin
                    sf <= sf + 1'b1;
                end
                wa <= (wa == SF * NF - 1) ? 0 : wa + 1'b1;
            end
        end
    end

    always @(posedge clk) begin
        if (fire) begin
            first1 <= sf == 0;
            last1 <= sf == SF - 1;
            nf1 <= nf;
            if (need_input) begin
                x1 <= in_data;
                buffer[sf] <= in_data;
            end else begin
                x1 <= buffer[sf];
            end
        end
    end

    // ---- lane products, adder trees and accumulators (compute stage)
    reg [PE*ACC_BITS-1:0] acc;
    wire [PE*ACC_BITS-1:0] sums;
    genvar p, j;
    generate
        for (p = 0; p < PE; p = p + 1) begin : pe
            wire [SIMD*P_BITS-1:0] products;
            for (j = 0; j < SIMD; j = j + 1) begin : lane
                wire [W_BITS-1:0] w = w_data[(p*SIMD+j)*W_BITS +: W_BITS];
                wire [IN_BITS-1:0] x = x1[j*IN_BITS +: IN_BITS];
                if (XNOR) begin : xnor_lane
                    assign products[j*P_BITS +: P_BITS] = {1'b0, w[0] ~^ x[0]};
                end else begin : mul_lane
                    wire signed [WV_BITS-1:0] wv;
                    wire signed [XV_BITS-1:0] xv;
                    wire signed [P_BITS-1:0] product = wv * xv;
                    if (W_BIPOLAR) begin : w_bipolar
                        assign wv = w[0] ? 2'sb01 : 2'sb11;
                    end else begin : w_int
                        assign wv = w;
                    end
                    if (IN_MODE == 2) begin : x_bipolar
                        assign xv = x[0] ? 2'sb01 : 2'sb11;
                    end else if (IN_MODE == 1) begin : x_int
                        assign xv = x;
                    end else begin : x_uint
                        assign xv = {1'b0, x};
                    end
                    assign products[j*P_BITS +: P_BITS] = product;
                end
            end
            wire signed [DOT_BITS-1:0] dot;
            qnn_adder_tree #(.N(SIMD), .IN_BITS(P_BITS)) tree (.terms(products), .sum(dot));
            wire signed [ACC_BITS-1:0] base = first1 ? {ACC_BITS{1'b0}}
                                                     : acc[p*ACC_BITS +: ACC_BITS];
            wire signed [ACC_BITS-1:0] total = base + dot;
            assign sums[p*ACC_BITS +: ACC_BITS] = total;
        end
    endgenerate

    always @(posedge clk) begin
        if (rst)
            out_valid <= 1'b0;
        else if (en)
            out_valid <= valid1 && last1;
    end

    always @(posedge clk) begin
        if (en && valid1) begin
            acc <= sums;
            if (last1) begin
                out_acc <= sums;
                out_nf <= nf1;
            end
        end
    end
endmodule
