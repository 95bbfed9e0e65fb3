// Threshold unit by binary search: each PE finds how many of its neuron's thresholds the
// accumulator exceeds with STAGES comparisons, one per pipeline step, instead of comparing
// with all of them at once. It outputs ACT_VAL + that count, kept in A_BITS bits.
//
// The thresholds of a neuron, sorted and padded with the largest TH_BITS value to
// 2^STAGES - 1, form an implicit search tree. Stage s (0 = root) of PE p reads its memory
// (outside) at rom_addr = nf * 2^s + k, k being the s result bits found so far, and compares
// the accumulator with the threshold stored there; the comparison is the next result bit.
// Stage s's address for PE p is at rom_addr[(s*PE+p)*ADDR_BITS +: ADDR_BITS], its data at
// rom_data[(s*PE+p)*TH_BITS +: TH_BITS]. Each stage takes two cycles (read, compare).
module qnn_threshold_search #(
    parameter PE = 1,
    parameter ACC_BITS = 16,
    parameter TH_BITS = 16,
    parameter STAGES = 1,
    parameter A_BITS = 1,
    parameter ACT_VAL = 0,
    parameter NF_BITS = 1,
    parameter ADDR_BITS = NF_BITS + STAGES
) (
    input  wire                              clk,
    input  wire                              rst,
    input  wire                              en,
    input  wire                              in_valid,
    input  wire [PE*ACC_BITS-1:0]            in_acc,
    input  wire [NF_BITS-1:0]                in_nf,
    output wire [STAGES*PE*ADDR_BITS-1:0]    rom_addr,
    input  wire [STAGES*PE*TH_BITS-1:0]      rom_data,
    output wire                              out_valid,
    output wire [PE*A_BITS-1:0]              out_data
);
    localparam ACCS = PE * ACC_BITS;
    localparam POSS = PE * STAGES;
    // Per stage s: the values it reads with (a_*: stage 0 from the inputs, stage s > 0 from
    // the previous stage's results r_*), the same one cycle later with the memory data (c_*),
    // and its results (r_*, positions with one more bit).
    wire [STAGES-1:0] a_valid;
    wire [STAGES*ACCS-1:0] a_acc;
    wire [STAGES*NF_BITS-1:0] a_nf;
    wire [STAGES*POSS-1:0] a_pos;
    reg [STAGES-1:0] c_valid, r_valid;
    reg [STAGES*ACCS-1:0] c_acc, r_acc;
    reg [STAGES*NF_BITS-1:0] c_nf, r_nf;
    reg [STAGES*POSS-1:0] c_pos, r_pos;

    assign a_valid[0] = in_valid;
    assign a_acc[0 +: ACCS] = in_acc;
    assign a_nf[0 +: NF_BITS] = in_nf;
    assign a_pos[0 +: POSS] = {POSS{1'b0}};

    genvar s, p;
    generate
        for (s = 0; s < STAGES; s = s + 1) begin : stage
            if (s > 0) begin : link
                assign a_valid[s] = r_valid[s-1];
                assign a_acc[s*ACCS +: ACCS] = r_acc[(s-1)*ACCS +: ACCS];
                assign a_nf[s*NF_BITS +: NF_BITS] = r_nf[(s-1)*NF_BITS +: NF_BITS];
                assign a_pos[s*POSS +: POSS] = r_pos[(s-1)*POSS +: POSS];
            end
            always @(posedge clk) begin
                if (rst) begin
                    c_valid[s] <= 1'b0;
                    r_valid[s] <= 1'b0;
                end else if (en) begin
                    c_valid[s] <= a_valid[s];
                    r_valid[s] <= c_valid[s];
                end
            end
            always @(posedge clk) begin
                if (en) begin
                    c_acc[s*ACCS +: ACCS] <= a_acc[s*ACCS +: ACCS];
                    c_nf[s*NF_BITS +: NF_BITS] <= a_nf[s*NF_BITS +: NF_BITS];
                    c_pos[s*POSS +: POSS] <= a_pos[s*POSS +: POSS];
                    r_acc[s*ACCS +: ACCS] <= c_acc[s*ACCS +: ACCS];
                    r_nf[s*NF_BITS +: NF_BITS] <= c_nf[s*NF_BITS +: NF_BITS];
                end
            end
            for (p = 0; p < PE; p = p + 1) begin : pe
                wire [STAGES-1:0] known = a_pos[s*POSS + p*STAGES +: STAGES];
                wire [ADDR_BITS-1:0] nf_base = a_nf[s*NF_BITS +: NF_BITS];
                assign rom_addr[(s*PE+p)*ADDR_BITS +: ADDR_BITS] = (nf_base << s) | known;
                wire signed [ACC_BITS-1:0] acc = c_acc[s*ACCS + p*ACC_BITS +: ACC_BITS];
                wire signed [TH_BITS-1:0] threshold = rom_data[(s*PE+p)*TH_BITS +: TH_BITS];
                wire [STAGES-1:0] found = c_pos[s*POSS + p*STAGES +: STAGES];
                wire [STAGES:0] extended = {found, acc > threshold};
                always @(posedge clk)
                    if (en)
                        r_pos[s*POSS + p*STAGES +: STAGES] <= extended[STAGES-1:0];
            end
        end
    endgenerate

    assign out_valid = r_valid[STAGES-1];
    generate
        for (p = 0; p < PE; p = p + 1) begin : out
            wire [STAGES:0] count = {1'b0, r_pos[(STAGES-1)*POSS + p*STAGES +: STAGES]};
            wire signed [31:0] code = ACT_VAL + $signed(count);
            assign out_data[p*A_BITS +: A_BITS] = code[A_BITS-1:0];
        end
    endgenerate
endmodule
