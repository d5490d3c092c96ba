`default_nettype none
// sg_ram: simple dual-port RAM: one write port with per-lane write enables, one synchronous read port.
// Written so that Yosys and vendor tools infer block RAM (or distributed RAM, by RAM_STYLE). Read-during-write to
// the same address returns the old word. Nothing changes while ce is low (the global clock enable).
module sg_ram #(
    // bits per word
    parameter integer WIDTH = 8,
    // number of words
    parameter integer DEPTH = 16,
    // write-enable lanes; WIDTH must be a multiple of LANES
    parameter integer LANES = 1,
    // address bits; 2^AW >= DEPTH
    parameter integer AW = 4,
    // $readmemh file with the initial contents; "" = all zero
    parameter INIT_FILE = "",
    // RAM style attribute: 1 = (* ram_style = "block" *), 2 = "distributed", 0 = none (the tool decides)
    parameter integer RAM_STYLE = 1,
    // 1: a read whose data is used (re) may hit the row written in the same clock, and its user takes care of it
    // (the delta memory's forwarding); 0: that never happens, which the simulation checks (the FPGA flow's
    // -no-rw-check then spares the block RAMs the logic that would return the old data on such a collision)
    parameter integer RW_OK = 0,
    // 1: re already includes the clock enable (a register computed one clock ahead, so that it drives the block
    // RAMs' read clock enables with no LUT between: sg_junction lrd_ce); the read then ignores ce
    parameter integer RE_CE = 0,
    // 1: the same for the write enables (registers that include ce: sg_layer_mem with overlapped cycles)
    parameter integer WE_CE = 0,
    // RAM_STYLE 2 only: the read address is registered and the LUT RAM read asynchronously behind it, so rdata is
    // the word at the registered address in the same clock as a synchronous read, but the logic and routes in front
    // of the read end in a few address flip-flops beside the RAM instead of running through the RAM into every data
    // bit's read register. 2: the register is here and loads raddr when re (re may include ce: RE_CE), so rdata
    // holds like a synchronous read's (the layer memories). 3: raddr is already a register (or a multiplexer of
    // registers) that its user loads in every ce clock, the address of the read issued with re in the clock before
    // (the delta memory). Either way a write to the row at or after its read shows in rdata, where a synchronous
    // read would keep the old word: simulation makes such a lane X (with 3, all lanes after a clock without re), so
    // a user that relied on it fails bit-exactness (the delta memory forwards those rows; the layer memories never
    // write a copy that is being read).
    parameter integer AREG = 0
) (
    input  wire             clk,
    input  wire             ce,
    // write port
    input  wire [LANES-1:0] we,
    input  wire [AW-1:0]    waddr,
    input  wire [WIDTH-1:0] wdata,
    // read port: rdata is the word at raddr one clock after re
    input  wire             re,
    input  wire [AW-1:0]    raddr,
    output reg  [WIDTH-1:0] rdata
);
    localparam integer LW = WIDTH / LANES;
    // Yosys 0.23 lets the zero fill win over a later $readmemh in the same initial block (the whole memory came
    // out zero in the netlist), so synthesis zero-fills only memories without a file (SYNTHESIS is set by Yosys).
`ifdef SYNTHESIS
    localparam SYNTH = 1'b1;
`else
    localparam SYNTH = 1'b0;
`endif

    initial begin
        if (WIDTH < 1 || DEPTH < 1 || LANES < 1 || WIDTH % LANES != 0 || (1 << AW) < DEPTH ||
            (AREG != 0 && AREG != 2 && AREG != 3) || (AREG != 0 && RAM_STYLE != 2) || (AREG == 3 && RE_CE != 0)) begin
            $display("sg_ram: illegal parameters WIDTH=%0d DEPTH=%0d LANES=%0d AW=%0d AREG=%0d RAM_STYLE=%0d RE_CE=%0d",
                     WIDTH, DEPTH, LANES, AW, AREG, RAM_STYLE, RE_CE);
            $finish;
        end
    end

    integer i;
    genvar l;
    generate
        if (RAM_STYLE == 2) begin : g_dist
            (* ram_style = "distributed" *) reg [WIDTH-1:0] mem [0:DEPTH-1];
            initial begin
                if (INIT_FILE == "" || !SYNTH) for (i = 0; i < DEPTH; i = i + 1) mem[i] = {WIDTH{1'b0}};
                if (INIT_FILE != "") $readmemh(INIT_FILE, mem);
            end
            for (l = 0; l < LANES; l = l + 1) begin : g_lane
                always @(posedge clk) if ((ce || WE_CE != 0) && we[l]) mem[waddr][l*LW +: LW] <= wdata[l*LW +: LW];
            end
            if (AREG != 0) begin : g_areg
                /* verilator lint_off UNUSEDSIGNAL */
                reg [AW-1:0] ra_q;  // (AREG 3: the user's register instead)
                /* verilator lint_on UNUSEDSIGNAL */
                wire         load = (ce || RE_CE != 0) && re;
                wire [AW-1:0] ra = (AREG == 3) ? raddr : ra_q;
                always @(posedge clk) if (load) ra_q <= raddr;
`ifdef SYNTHESIS
                always @* rdata = mem[ra];
`else
                // dirty[l]: lane l of the registered row was written at or after its read; rv: a read was taken
                reg [LANES-1:0] dirty;
                reg             rv;
                wire [AW-1:0]   ra_n = load ? raddr : ra_q;
                // AREG 3: the user's address register's next value is not visible here, so the last ce clock's
                // writes are kept (lw_en, lw_a): one of them at the address now read was at the read's clock
                reg [LANES-1:0] lw_en;
                reg [AW-1:0]    lw_a;
                integer dl;
                initial begin
                    dirty = {LANES{1'b0}};
                    lw_en = {LANES{1'b0}};
                    rv = 1'b0;
                end
                always @(posedge clk) begin
                    if (ce) begin
                        rv <= (AREG == 2) || re;
                        lw_en <= we;
                        lw_a <= waddr;
                    end
                    for (dl = 0; dl < LANES; dl = dl + 1)
                        dirty[dl] <= (load ? 1'b0 : dirty[dl]) | ((ce || WE_CE != 0) && we[dl] && waddr == ra_n);
                end
                always @* begin
                    rdata = mem[ra];
                    for (dl = 0; dl < LANES; dl = dl + 1)
                        if (((AREG == 3) ? (lw_en[dl] && lw_a == ra) : dirty[dl]) || !rv) rdata[dl*LW +: LW] = {LW{1'bx}};
                end
`endif
            end else begin : g_sread
                always @(posedge clk) if ((ce || RE_CE != 0) && re) rdata <= mem[raddr];
            end
        end else if (RAM_STYLE == 1) begin : g_block
            (* ram_style = "block" *) reg [WIDTH-1:0] mem [0:DEPTH-1];
            initial begin
                if (INIT_FILE == "" || !SYNTH) for (i = 0; i < DEPTH; i = i + 1) mem[i] = {WIDTH{1'b0}};
                if (INIT_FILE != "") $readmemh(INIT_FILE, mem);
            end
            for (l = 0; l < LANES; l = l + 1) begin : g_lane
                always @(posedge clk) if ((ce || WE_CE != 0) && we[l]) mem[waddr][l*LW +: LW] <= wdata[l*LW +: LW];
            end
            always @(posedge clk) if ((ce || RE_CE != 0) && re) rdata <= mem[raddr];
        end else begin : g_auto
            reg [WIDTH-1:0] mem [0:DEPTH-1];
            initial begin
                if (INIT_FILE == "" || !SYNTH) for (i = 0; i < DEPTH; i = i + 1) mem[i] = {WIDTH{1'b0}};
                if (INIT_FILE != "") $readmemh(INIT_FILE, mem);
            end
            for (l = 0; l < LANES; l = l + 1) begin : g_lane
                always @(posedge clk) if ((ce || WE_CE != 0) && we[l]) mem[waddr][l*LW +: LW] <= wdata[l*LW +: LW];
            end
            always @(posedge clk) if ((ce || RE_CE != 0) && re) rdata <= mem[raddr];
        end
    endgenerate
`ifndef SYNTHESIS
    // a read enable that includes ce is never high while ce is low
    always @(posedge clk) begin
        if (RE_CE != 0 && re === 1'b1 && ce !== 1'b1) begin
            $display("sg_ram %m: RE_CE read enable high while ce is low");
            $fatal(1, "sg_ram RE_CE");
        end
        if (WE_CE != 0 && (|we) && ce !== 1'b1) begin
            $display("sg_ram %m: WE_CE write enable high while ce is low");
            $fatal(1, "sg_ram WE_CE");
        end
    end
    always @(posedge clk) begin
        if (RW_OK == 0 && ce && re && (|we) && raddr == waddr) begin
            $display("sg_ram %m: row %0d read and written in one clock (read-during-write is undefined in synthesis)",
                     raddr);
            $fatal(1, "sg_ram read-during-write");
        end
    end
    // Simulation only: a missing initialisation file is an error, not a silent all-zero memory.
    integer init_fd;
    initial if (INIT_FILE != "") begin
        init_fd = $fopen(INIT_FILE, "r");
        if (init_fd == 0) begin
            $display("sg_ram: cannot open INIT_FILE \"%0s\"", INIT_FILE);
            $finish;
        end
        $fclose(init_fd);
    end
`endif
endmodule
`default_nettype wire
