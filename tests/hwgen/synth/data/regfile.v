// DEPTH x W register file: synchronous write, asynchronous read (distributed RAM).
module regfile #(parameter W = 8, parameter DEPTH = 32, parameter AW = 5) (
    input  wire          clk,
    input  wire          we,
    input  wire [AW-1:0] waddr,
    input  wire [W-1:0]  wdata,
    input  wire [AW-1:0] raddr,
    output wire [W-1:0]  rdata
);
    reg [W-1:0] mem [0:DEPTH-1];
    always @(posedge clk)
        if (we)
            mem[waddr] <= wdata;
    assign rdata = mem[raddr];
endmodule
