// A first-word-fall-through FIFO of DEPTH (a power of two, >= 2) WIDTH-bit words with
// valid/ready streams on both sides. Its in_ready does not depend on out_ready.
module qnn_fifo #(
    parameter WIDTH = 8,
    parameter DEPTH = 2,
    parameter ADDR_BITS = 1
) (
    input  wire             clk,
    input  wire             rst,
    input  wire [WIDTH-1:0] in_data,
    input  wire             in_valid,
    output wire             in_ready,
    output wire [WIDTH-1:0] out_data,
    output wire             out_valid,
    input  wire             out_ready
);
    reg [WIDTH-1:0] memory [0:DEPTH-1];
    reg [ADDR_BITS-1:0] read_addr, write_addr;
    reg [ADDR_BITS:0] count;
    wire push = in_valid && in_ready;
    wire pop = out_valid && out_ready;
    assign in_ready = count != DEPTH;
    assign out_valid = count != 0;
    assign out_data = memory[read_addr];
    always @(posedge clk) begin
        if (push)
            memory[write_addr] <= in_data;
    end
    always @(posedge clk) begin
        if (rst) begin
            read_addr <= 0;
            write_addr <= 0;
            count <= 0;
        end else begin
            if (push)
                write_addr <= write_addr + 1'b1;
            if (pop)
                read_addr <= read_addr + 1'b1;
            if (push && !pop)
                count <= count + 1'b1;
            else if (pop && !push)
                count <= count - 1'b1;
        end
    end
endmodule
