// A read-only memory with a synchronous, enabled read port, initialised from a hex file
// ($readmemh: one word per line, address 0 first), as block or distributed RAM. Without
// INIT_FILE the memory is left uninitialised.
module qnn_rom #(
    parameter WIDTH = 8,
    parameter DEPTH = 2,
    parameter ADDR_BITS = 1,
    parameter INIT_FILE = ""
) (
    input  wire                 clk,
    input  wire                 en,
    input  wire [ADDR_BITS-1:0] addr,
    output reg  [WIDTH-1:0]     data
);
    reg [WIDTH-1:0] memory [0:DEPTH-1];
    initial
        if (INIT_FILE != "")
            $readmemh(INIT_FILE, memory);
    always @(posedge clk)
        if (en)
            data <= memory[addr];
endmodule
