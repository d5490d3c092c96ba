`default_nettype none
// sg_rom: read-only table with a synchronous read, loaded from a $readmemh file (pattern tables, sigmoid table).
module sg_rom #(
    // bits per word
    parameter integer WIDTH = 8,
    // number of words
    parameter integer DEPTH = 16,
    // address bits; 2^AW >= DEPTH
    parameter integer AW = 4,
    // $readmemh file (required; simulation checks that it opens)
    parameter INIT_FILE = "",
    // ROM style attribute: 1 = (* rom_style = "block" *), 2 = "logic", 0 = by shape: block RAM for tables of at
    // least 128 words (the sigmoid tables), logic for shorter ones (the pattern tables: few, wide words)
    parameter integer ROM_STYLE = 0
) (
    input  wire             clk,
    input  wire             ce,
    input  wire             re,
    input  wire [AW-1:0]    addr,
    output reg  [WIDTH-1:0] data
);
    // Yosys 0.23 lets the zero fill win over a later $readmemh in the same initial block (the table came out zero
    // in the netlist), so synthesis zero-fills only tables without a file (SYNTHESIS is set by Yosys).
`ifdef SYNTHESIS
    localparam SYNTH = 1'b1;
`else
    localparam SYNTH = 1'b0;
`endif
    localparam BLOCK = ROM_STYLE == 1 || (ROM_STYLE == 0 && DEPTH >= 128);
    integer i;
    initial begin
        if (WIDTH < 1 || DEPTH < 1 || (1 << AW) < DEPTH || ROM_STYLE < 0 || ROM_STYLE > 2) begin
            $display("sg_rom: illegal parameters WIDTH=%0d DEPTH=%0d AW=%0d ROM_STYLE=%0d INIT_FILE=\"%0s\"", WIDTH,
                     DEPTH, AW, ROM_STYLE, INIT_FILE);
            $finish;
        end
    end
    generate
        if (BLOCK) begin : g_block
            (* rom_style = "block" *) reg [WIDTH-1:0] mem [0:DEPTH-1];
            initial begin
                if (INIT_FILE == "" || !SYNTH) for (i = 0; i < DEPTH; i = i + 1) mem[i] = {WIDTH{1'b0}};
                if (INIT_FILE != "") $readmemh(INIT_FILE, mem);
            end
            always @(posedge clk) if (ce && re) data <= mem[addr];
        end else begin : g_logic
            (* rom_style = "logic" *) reg [WIDTH-1:0] mem [0:DEPTH-1];
            initial begin
                if (INIT_FILE == "" || !SYNTH) for (i = 0; i < DEPTH; i = i + 1) mem[i] = {WIDTH{1'b0}};
                if (INIT_FILE != "") $readmemh(INIT_FILE, mem);
            end
            always @(posedge clk) if (ce && re) data <= mem[addr];
        end
    endgenerate
`ifndef SYNTHESIS
    // Simulation only: a missing initialisation file is an error, not a silent all-zero memory.
    integer init_fd;
    initial if (INIT_FILE != "") begin
        init_fd = $fopen(INIT_FILE, "r");
        if (init_fd == 0) begin
            $display("sg_rom: cannot open INIT_FILE \"%0s\"", INIT_FILE);
            $finish;
        end
        $fclose(init_fd);
    end
`endif
endmodule
`default_nettype wire
