// Threshold unit, all thresholds at once (as finn-hlslib's ThresholdsActivation): each PE
// compares its accumulator with the N_TH thresholds of its neuron in one cycle and outputs
// ACT_VAL + (number of thresholds the accumulator exceeds), kept in A_BITS bits.
//
// The threshold memory (outside) is read at rom_addr = in_nf; its word holds, for PE p,
// threshold i at bits [(p*N_TH + i)*TH_BITS +: TH_BITS] (signed, TH_BITS >= ACC_BITS).
// Two pipeline stages (memory read, compare and count), both moving on en.
module qnn_threshold_parallel #(
    parameter PE = 1,
    parameter ACC_BITS = 16,
    parameter TH_BITS = 16,
    parameter N_TH = 1,
    parameter A_BITS = 1,
    parameter ACT_VAL = 0,
    parameter NF_BITS = 1
) (
    input  wire                      clk,
    input  wire                      rst,
    input  wire                      en,
    input  wire                      in_valid,
    input  wire [PE*ACC_BITS-1:0]    in_acc,
    input  wire [NF_BITS-1:0]        in_nf,
    output wire [NF_BITS-1:0]        rom_addr,
    input  wire [PE*N_TH*TH_BITS-1:0] rom_data,
    output reg                       out_valid,
    output reg  [PE*A_BITS-1:0]      out_data
);
    localparam COUNT_BITS = 2 + $clog2(N_TH);
    assign rom_addr = in_nf;

    reg valid1;
    reg [PE*ACC_BITS-1:0] acc1;
    always @(posedge clk) begin
        if (rst)
            valid1 <= 1'b0;
        else if (en)
            valid1 <= in_valid;
    end
    always @(posedge clk)
        if (en)
            acc1 <= in_acc;

    wire [PE*A_BITS-1:0] codes;
    genvar p, i;
    generate
        for (p = 0; p < PE; p = p + 1) begin : pe
            wire signed [ACC_BITS-1:0] acc = acc1[p*ACC_BITS +: ACC_BITS];
            wire [N_TH*2-1:0] above;
            for (i = 0; i < N_TH; i = i + 1) begin : compare
                wire signed [TH_BITS-1:0] threshold = rom_data[(p*N_TH+i)*TH_BITS +: TH_BITS];
                assign above[2*i +: 2] = {1'b0, acc > threshold};
            end
            wire signed [COUNT_BITS-1:0] count;
            qnn_adder_tree #(.N(N_TH), .IN_BITS(2)) counter (.terms(above), .sum(count));
            wire signed [31:0] code = ACT_VAL + count;
            assign codes[p*A_BITS +: A_BITS] = code[A_BITS-1:0];
        end
    endgenerate

    always @(posedge clk) begin
        if (rst)
            out_valid <= 1'b0;
        else if (en)
            out_valid <= valid1;
    end
    always @(posedge clk)
        if (en)
            out_data <= codes;
endmodule
