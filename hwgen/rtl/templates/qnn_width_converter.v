// Converts a stream of IN_BITS-bit words into OUT_BITS-bit words, one width dividing the other.
// The stream is one LSB-first bit sequence: a wide word is sent as its narrow chunks, lowest
// bits first, and narrow words are gathered into a wide word in the same order.
module qnn_width_converter #(
    parameter IN_BITS = 64,
    parameter OUT_BITS = 64
) (
    input  wire                clk,
    input  wire                rst,
    input  wire [IN_BITS-1:0]  in_data,
    input  wire                in_valid,
    output wire                in_ready,
    output wire [OUT_BITS-1:0] out_data,
    output wire                out_valid,
    input  wire                out_ready
);
    generate
        if (IN_BITS == OUT_BITS) begin : pass
            assign out_data = in_data;
            assign out_valid = in_valid;
            assign in_ready = out_ready;
        end else if (IN_BITS > OUT_BITS) begin : split
            localparam CHUNKS = IN_BITS / OUT_BITS;
            reg [IN_BITS-1:0] word;
            reg [$clog2(CHUNKS)-1:0] chunk;
            reg full;
            wire last = chunk == CHUNKS - 1;
            assign out_data = word[OUT_BITS-1:0];
            assign out_valid = full;
            assign in_ready = !full || (out_ready && last);
            always @(posedge clk) begin
                if (rst) begin
                    full <= 1'b0;
                    chunk <= 0;
                end else if (in_valid && in_ready) begin
                    word <= in_data;
                    chunk <= 0;
                    full <= 1'b1;
                end else if (full && out_ready) begin
                    word <= word >> OUT_BITS;
                    chunk <= chunk + 1'b1;
                    if (last)
                        full <= 1'b0;
                end
            end
        end else begin : gather
            localparam CHUNKS = OUT_BITS / IN_BITS;
            reg [OUT_BITS-1:0] collected;
            reg [OUT_BITS-1:0] word;
            reg [$clog2(CHUNKS)-1:0] chunk;
            reg full;
            wire last = chunk == CHUNKS - 1;
            wire [OUT_BITS-1:0] shifted = {in_data, collected[OUT_BITS-1:IN_BITS]};
            assign out_data = word;
            assign out_valid = full;
            assign in_ready = !last || !full || out_ready;
            always @(posedge clk) begin
                if (rst) begin
                    full <= 1'b0;
                    chunk <= 0;
                end else begin
                    if (full && out_ready)
                        full <= 1'b0;
                    if (in_valid && in_ready) begin
                        collected <= shifted;
                        if (last) begin
                            word <= shifted;
                            full <= 1'b1;
                            chunk <= 0;
                        end else begin
                            chunk <= chunk + 1'b1;
                        end
                    end
                end
            end
        end
    endgenerate
endmodule
