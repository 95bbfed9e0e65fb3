// One of each: a ROM, a register file, a multiplier and a register, side by side.
module mixed (
    input  wire        clk,
    input  wire [9:0]  addr,
    input  wire        we,
    input  wire [4:0]  waddr,
    input  wire [4:0]  raddr,
    input  wire [7:0]  a,
    input  wire [7:0]  b,
    output wire [31:0] rom_data,
    output wire [7:0]  rf_data,
    output wire [15:0] product,
    output wire [31:0] q
);
    rom        #(.W(32), .DEPTH(1024), .AW(10)) u_rom (.clk(clk), .addr(addr), .data(rom_data));
    regfile    #(.W(8), .DEPTH(32), .AW(5)) u_rf (.clk(clk), .we(we), .waddr(waddr),
                                                   .wdata(a), .raddr(raddr), .rdata(rf_data));
    multiplier #(.W(8)) u_mul (.a(a), .b(b), .p(product));
    register   #(.W(32)) u_reg (.clk(clk), .rst(1'b0), .en(we), .d(rom_data), .q(q));
endmodule
