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
    parameter INIT_FILE = ""
) (
    input  wire             clk,
    input  wire             ce,
    input  wire             re,
    input  wire [AW-1:0]    addr,
    output reg  [WIDTH-1:0] data
);
    reg [WIDTH-1:0] mem [0:DEPTH-1];
    integer i;
    initial begin
        if (WIDTH < 1 || DEPTH < 1 || (1 << AW) < DEPTH) begin
            $display("sg_rom: illegal parameters WIDTH=%0d DEPTH=%0d AW=%0d INIT_FILE=\"%0s\"", WIDTH, DEPTH, AW,
                     INIT_FILE);
            $finish;
        end
        for (i = 0; i < DEPTH; i = i + 1) mem[i] = {WIDTH{1'b0}};
        if (INIT_FILE != "") $readmemh(INIT_FILE, mem);
    end
    always @(posedge clk) if (ce && re) data <= mem[addr];
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
