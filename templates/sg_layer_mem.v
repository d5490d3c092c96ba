`default_nettype none
// sg_layer_mem: the activations of one layer h, banked for the junction that reads them (junction h + 1):
// neuron x lives in bank x mod BANKS, row x / BANKS, in one of COPIES rotating copies (copy index in the upper
// address: address = copy * ROWS + row). The writer (junction h's FF, or the input stream for layer 0) writes in
// natural order, Q consecutive neurons per write; the reader (junction h + 1) reads one row per bank per clock,
// in the interleaved order of the connection pattern, from two copies at once: the FF copy (written GAP cycles ago)
// and the UP copy (the oldest). The read copies rotate at rd_cyc, the write copy and the writer's position
// at wr_cyc, which is the cycle start delayed to the writer's stage (overlapped cycles: the last writes of a cycle
// land in the first clocks of the next). PORTS = 2 keeps two physical RAMs per bank written with the
// same data, one per read port; PORTS = 1 (inference) keeps one. Only the AB bits from bit ASH up are stored (an
// activation is x * 2^ASH with 0 <= x < 2^AB: gen/plan.c); the others read as zero. When a write covers every
// bank (Q = BANKS: the input layer) bank m simply takes value m of the write, without a multiplexer.
// PAIR = 1 (the input layer with overlapped cycles in training: Q = BANKS, PORTS = 2, GAP = 2): one physical RAM
// per bank, two values wide, instead of two. The UP copy is always GAP + 1 copies after the FF copy (the oldest,
// write copy + 1, against write copy - GAP), so word k holds copy k in its low half and copy k + GAP + 1 in its high
// half, and one read of the FF copy's word gives both. A value is written twice, to the low half of its copy's word
// and one clock later to the high half of the word GAP + 1 copies before it; so writes must come at most every other
// clock (the controller's BSTEP = 2 spaces the input beats; checked in simulation). Neither word is the one read:
// the FF word is write copy - GAP. On the ECP5 a bank is then one DP16KD instead of two.
module sg_layer_mem #(
    // banks = z of the reading junction
    parameter integer BANKS = 4,
    // rows per bank and copy = p / z of the reading junction
    parameter integer ROWS = 2,
    // rotating copies (2g(J - h) + 1 in training, g + 1 in inference; gen/plan.h sg_act_copies)
    parameter integer COPIES = 3,
    // hand-over gap g (1, or 2 with overlapped cycles): the FF copy is the one written g cycles ago
    parameter integer GAP = 1,
    // value width
    parameter integer W = 12,
    // stored bits of a value (bits ASH .. ASH + AB - 1; the others are zero)
    parameter integer AB = 12,
    parameter integer ASH = 0,
    // neurons per natural-order write (q of the writing junction; BANKS for the input)
    parameter integer Q = 1,
    // physical copies (read ports): 2 in training, 1 in inference
    parameter integer PORTS = 2,
    // row bits: max(1, clog2(ROWS))
    parameter integer RB = 1,
    // RAM style for sg_ram (1 block, 2 distributed, 0 auto)
    parameter integer RAM_STYLE = 1,
    // the first NBLK physical RAMs (FF copies of banks 0, 1, ..., then UP copies) are block RAM whatever RAM_STYLE
    // (the generator's memory mapping gives a distributed layer memory the blocks left over)
    parameter integer NBLK = 0,
    // one RAM per bank holding both read copies (see above)
    parameter integer PAIR = 0
) (
    input  wire                clk,
    input  wire                rst,
    input  wire                ce,
    // ce's value in the next clock (sg_ctrl ce_next): the write enables with overlapped cycles include ce
    /* verilator lint_off UNUSEDSIGNAL */
    // (unused without overlapped cycles)
    input  wire                ce_next,
    /* verilator lint_on UNUSEDSIGNAL */
    // high in the clock before the reader's first read of a cycle (the reading junction's cycle start delayed to
    // its read stage): rotates the read copies
    input  wire                rd_cyc,
    // high in the clock before the writer's first write of a cycle could come: rotates the write copy, restarts the
    // writer
    input  wire                wr_cyc,
    // natural-order write: Q neurons, the next ones after the previous write of this cycle
    input  wire                wr_en,
    input  wire [Q*W-1:0]      wr_data,
    // interleaved read: one row per bank; data one clock later
    input  wire                rd_en,
    input  wire [BANKS*RB-1:0] rd_row,
    output wire [BANKS*W-1:0]  ff_data,
    output wire [BANKS*W-1:0]  up_data
);
    localparam integer DEPTH = COPIES * ROWS;
    localparam integer AW = (DEPTH > 1) ? $clog2(DEPTH) : 1;
    localparam integer BB = (BANKS > 1) ? $clog2(BANKS) : 1;
    localparam integer GB = $clog2(BANKS + 1);
    localparam integer ROWS_I = ROWS;
    localparam integer LASTBASE_I = (COPIES - 1) * ROWS;
    localparam integer ONEBASE_I = (COPIES > 1) ? ROWS : 0;
    localparam integer FFBASE_I = (COPIES - GAP) * ROWS;
    localparam integer FFCOPY_I = COPIES - GAP;
    // PAIR: the word whose high half takes the write copy (write copy - GAP - 1 mod COPIES)
    localparam integer HICOPY_I = (COPIES - GAP - 1) % COPIES;
    localparam integer HIBASE_I = HICOPY_I * ROWS;
    localparam integer Q_I = Q;
    localparam integer BANKS_I = BANKS;
    // the RAMs written from registers, one clock after the writer: with overlapped cycles
    localparam integer WREG = (GAP > 1) ? 1 : 0;

    initial begin
        if (BANKS < 1 || ROWS < 1 || COPIES < 2 || GAP < 1 || GAP >= COPIES || Q < 1 || Q > BANKS || (PORTS != 1 && PORTS != 2) ||
            RB != ((ROWS > 1) ? $clog2(ROWS) : 1) || AB < 1 || ASH < 0 || AB + ASH > W ||
            (PAIR != 0 && (Q != BANKS || PORTS != 2 || GAP < 2 || COPIES <= GAP + 1))) begin
            $display("sg_layer_mem: illegal parameters BANKS=%0d ROWS=%0d COPIES=%0d Q=%0d PORTS=%0d RB=%0d AB=%0d ASH=%0d PAIR=%0d",
                     BANKS, ROWS, COPIES, Q, PORTS, RB, AB, ASH, PAIR);
            $finish;
        end
    end

    // Copy bases: the write copy, the FF read copy (write copy - GAP mod COPIES: written GAP cycles ago) and the UP
    // read copy (the oldest: write copy + 1 mod COPIES). Each rotates by one copy per cycle (the reads at rd_cyc,
    // the write at wr_cyc). When ROWS is a power of
    // two the address is {copy, row}, a concatenation (no adder between the row and the RAM's address, which was
    // the critical path of type2 networks on the ECP5); otherwise base + row.
    localparam integer POW2 = (ROWS > 1 && ROWS == (1 << RB)) ? 1 : 0;
    localparam integer CW = (COPIES > 1) ? $clog2(COPIES) : 1;
    localparam integer CLAST_I = COPIES - 1;
    /* verilator lint_off UNUSEDSIGNAL */
    // (the bases are used when ROWS is not a power of two, the copy numbers when it is)
    reg [AW-1:0] wr_base, ff_base, up_base, hi_base;
    reg [CW-1:0] wr_copy, ff_copy, up_copy, hi_copy;
    /* verilator lint_on UNUSEDSIGNAL */
    // Writer position: bank and row of the first of the next Q neurons.
    reg [BB-1:0] wb0;
    reg [RB-1:0] wrow0;

    function [AW-1:0] next_base;
        input [AW-1:0] b;
        begin
            next_base = (b == LASTBASE_I[AW-1:0]) ? {AW{1'b0}} : b + ROWS_I[AW-1:0];
        end
    endfunction
    function [CW-1:0] next_copy;
        input [CW-1:0] c;
        begin
            next_copy = (c == CLAST_I[CW-1:0]) ? {CW{1'b0}} : c + 1'b1;
        end
    endfunction

    always @(posedge clk) begin
        if (rst) begin
            wr_base <= {AW{1'b0}};
            hi_base <= HIBASE_I[AW-1:0];
            hi_copy <= HICOPY_I[CW-1:0];
            ff_base <= FFBASE_I[AW-1:0];
            up_base <= ONEBASE_I[AW-1:0];
            wr_copy <= {CW{1'b0}};
            ff_copy <= FFCOPY_I[CW-1:0];
            up_copy <= (COPIES > 1) ? {{(CW-1){1'b0}}, 1'b1} : {CW{1'b0}};
            wb0 <= {BB{1'b0}};
            wrow0 <= {RB{1'b0}};
        end else if (ce) begin
            if (rd_cyc) begin
                ff_base <= next_base(ff_base);
                up_base <= next_base(up_base);
                ff_copy <= next_copy(ff_copy);
                up_copy <= next_copy(up_copy);
            end
            if (wr_cyc) begin
                wr_base <= next_base(wr_base);
                wr_copy <= next_copy(wr_copy);
                hi_base <= next_base(hi_base);
                hi_copy <= next_copy(hi_copy);
                wb0 <= {BB{1'b0}};
                wrow0 <= {RB{1'b0}};
            end else if (wr_en) begin
                if ({1'b0, wb0} + Q_I[GB:0] >= BANKS_I[GB:0]) begin
                    wb0 <= wb0 + Q_I[BB-1:0] - BANKS_I[BB-1:0];
                    wrow0 <= wrow0 + 1'b1;
                end else begin
                    wb0 <= wb0 + Q_I[BB-1:0];
                end
            end
        end
    end

    // Q < BANKS: bank m takes value g of the next write (g < Q) iff (m - wb0) mod BANKS == g. A register field of Q
    // bits per bank (one-hot, or zero when the bank takes none), rotated by Q banks with wb0 (bank m's field then
    // is bank m - Q's), so that a bank's write enable and its choice of value are one LUT level of registers, not
    // an adder and comparisons behind wb0 (layer 1's write registers were the routed anchor network's last late
    // endpoints at 93 MHz)
    localparam integer QS = (Q < BANKS) ? Q : 1;
    /* verilator lint_off UNUSEDSIGNAL */
    // (unused when every write covers all banks)
    wire [BANKS*QS-1:0] selq;
    /* verilator lint_on UNUSEDSIGNAL */
    generate
        if (Q < BANKS) begin : g_selq
            reg [BANKS*Q-1:0] sq;
            // bank i < Q takes value i
            function [BANKS*Q-1:0] f_sq0;
                input integer n;
                integer i;
                begin
                    f_sq0 = {(BANKS*Q){1'b0}};
                    for (i = 0; i < n; i = i + 1) f_sq0[i*Q + i] = 1'b1;
                end
            endfunction
            wire [BANKS*Q-1:0] sq0 = f_sq0(Q);
            always @(posedge clk) begin
                if (rst) sq <= sq0;
                else if (ce) begin
                    if (wr_cyc) sq <= sq0;
                    else if (wr_en) sq <= {sq[(BANKS-Q)*Q-1:0], sq[BANKS*Q-1:(BANKS-Q)*Q]};
                end
            end
            assign selq = sq;
        end else begin : g_noselq
            assign selq = {(BANKS*QS){1'b0}};
        end
    endgenerate

    genvar m;
    generate
        for (m = 0; m < BANKS; m = m + 1) begin : g_bank
            localparam integer M_I = m;
            wire         hit;
            wire [RB-1:0] wrow;
            /* verilator lint_off UNUSEDSIGNAL */
            // (only bits ASH .. ASH + AB - 1 are stored)
            reg  [W-1:0] wdat;
            /* verilator lint_on UNUSEDSIGNAL */
            if (Q == BANKS) begin : g_all
                // every write covers all banks (wb0 stays 0): bank m takes value m
                assign hit = wr_en;
                assign wrow = wrow0;
                always @* wdat = wr_data[m*W +: W];
            end else begin : g_some
                // which of the Q written neurons goes to this bank, if any
                // The same comparison for every bank is constant for the first and last bank; that is intended.
                /* verilator lint_off CMPCONST */
                wire         wrap = M_I[BB-1:0] < wb0;
                /* verilator lint_on CMPCONST */
                wire [BB:0]  gsel = wrap ? ({1'b0, M_I[BB-1:0]} + BANKS_I[BB:0] - {1'b0, wb0})
                                         : ({1'b0, M_I[BB-1:0]} - {1'b0, wb0});
                wire [QS-1:0] sel = selq[m*QS +: QS];
                assign hit = wr_en && (|sel);
`ifndef SYNTHESIS
                integer gc;
                reg [QS-1:0] sel_def;
                always @* begin
                    sel_def = {QS{1'b0}};
                    for (gc = 0; gc < QS; gc = gc + 1) if (gsel == gc[BB:0]) sel_def[gc] = 1'b1;
                end
                always @(posedge clk) begin
                    if (!rst && sel !== sel_def) begin
                        $display("sg_layer_mem %m: the registered value select %b differs from (m - wb0) mod BANKS (%b)", sel, sel_def);
                        $fatal(1, "sg_layer_mem selq");
                    end
                end
`endif
                // this bank's next write row, counted in the bank (its k-th write of a cycle is row k: natural order)
                // instead of wrow0 + (m < wb0), a comparison and an adder behind wb0, which fans out to every bank
                reg [RB-1:0] brow;
                always @(posedge clk) begin
                    if (rst) brow <= {RB{1'b0}};
                    else if (ce) begin
                        if (wr_cyc) brow <= {RB{1'b0}};
                        else if (hit) brow <= brow + 1'b1;
                    end
                end
                assign wrow = brow;
`ifndef SYNTHESIS
                always @(posedge clk) begin
                    if (!rst && brow !== (wrap ? wrow0 + 1'b1 : wrow0)) begin
                        $display("sg_layer_mem %m: the bank's write row %0d differs from wrow0 + (m < wb0) = %0d", brow,
                                 wrap ? wrow0 + 1'b1 : wrow0);
                        $fatal(1, "sg_layer_mem brow");
                    end
                end
`endif
                integer g;
                always @* begin
                    wdat = {W{1'b0}};
                    for (g = 0; g < QS; g = g + 1)
                        if (sel[g]) wdat = wdat | wr_data[g*W +: W];
                end
            end
            wire [AW-1:0] waddr, ra_ff;
            /* verilator lint_off UNUSEDSIGNAL */
            // (one read port in inference; the high half's write address only with PAIR)
            wire [AW-1:0] ra_up, waddr_hi;
            /* verilator lint_on UNUSEDSIGNAL */
            if (POW2 != 0) begin : g_cat
                assign waddr = {wr_copy, wrow};
                assign waddr_hi = {hi_copy, wrow};
                assign ra_ff = {ff_copy, rd_row[m*RB +: RB]};
                assign ra_up = {up_copy, rd_row[m*RB +: RB]};
            end else begin : g_add
                assign waddr = wr_base + {{(AW-RB){1'b0}}, wrow};
                assign waddr_hi = hi_base + {{(AW-RB){1'b0}}, wrow};
                assign ra_ff = ff_base + {{(AW-RB){1'b0}}, rd_row[m*RB +: RB]};
                assign ra_up = up_base + {{(AW-RB){1'b0}}, rd_row[m*RB +: RB]};
            end
            // the RAMs' write: with overlapped cycles (GAP > 1) from registers one clock after the writer (the
            // write enable and address reach every bank of the input layer: one register per bank, near its RAMs,
            // instead of one net to all of them; a copy is read GAP cycles after it is written, so one clock later
            // changes nothing); else straight from the writer
            /* verilator lint_off UNUSEDSIGNAL */
            // (with WREG and no PAIR only r_wce is used)
            wire          r_we;
            /* verilator lint_on UNUSEDSIGNAL */
            // the write enable as the RAMs see it: with WREG, r_we && ce as a register (loaded from ce_next, so
            // that no LUT ANDs it with ce in front of every bank's block RAM write enable: the routed anchor
            // network's slowest path); else r_we (the RAMs AND it with ce)
            wire          r_wce;
            wire [AW-1:0] r_wa;
            wire [AB-1:0] r_wd;
            if (WREG != 0) begin : g_wreg
                reg          q_we, q_wce;
                always @(posedge clk) begin
                    if (rst) q_wce <= 1'b0;
                    else q_wce <= ce_next && (ce ? hit : q_we);
                end
                assign r_wce = q_wce;
`ifndef SYNTHESIS
                always @(posedge clk) begin
                    if (!rst && q_wce !== (q_we && ce)) begin
                        $display("sg_layer_mem %m: q_wce %b differs from q_we && ce", q_wce);
                        $fatal(1, "sg_layer_mem q_wce");
                    end
                end
`endif
                reg [AW-1:0] q_wa;
                reg [AB-1:0] q_wd;
                always @(posedge clk) begin
                    if (rst) q_we <= 1'b0;
                    else if (ce) q_we <= hit;
                end
                // loaded in every clock (enable ce only: a write uses the values of the clock before, whatever
                // comes after; PAIR keeps the high half's copies in h_wd and h_wan). With PAIR these were loaded
                // only on a write: ce && the writer's enable, a LUT copied for every bank's 10 data bits, far from
                // most of them (the routed anchor network's slowest path at 83.9 MHz, grade 8)
                always @(posedge clk) begin
                    if (ce) begin
                        q_wa <= waddr;
                        q_wd <= wdat[ASH +: AB];
                    end
                end
                assign r_we = q_we;
                assign r_wa = q_wa;
                assign r_wd = q_wd;
            end else begin : g_wdir
                assign r_wce = hit;
                assign r_we = hit;
                assign r_wa = waddr;
                assign r_wd = wdat[ASH +: AB];
            end
            // a bank in LUT RAM registers its read address beside the RAM and reads behind it (sg_ram AREG 2: the
            // junction's row and the copy end in local flip-flops; the data holds like a synchronous read's, and
            // simulation shows X if a row were written while it is being read)
            wire [AB-1:0] rff;
            wire [W-1:0]  rffw;
            if (PAIR != 0) begin : g_pair
                // the high half's write, one clock after the low half's: its address taken with the low half's
                // (the copies may rotate in between), its value the low half's (h_wd)
                reg          h_we, h_wce;
                reg [AW-1:0] h_wan, h_wa;
                reg [AB-1:0] h_wd;
                always @(posedge clk) begin
                    if (rst) h_we <= 1'b0;
                    else if (ce) h_we <= r_we;
                end
                // h_we && ce as a register (PAIR implies WREG)
                always @(posedge clk) begin
                    if (rst) h_wce <= 1'b0;
                    else h_wce <= ce_next && (ce ? r_we : h_we);
                end
`ifndef SYNTHESIS
                always @(posedge clk) begin
                    if (!rst && h_wce !== (h_we && ce)) begin
                        $display("sg_layer_mem %m: h_wce %b differs from h_we && ce", h_wce);
                        $fatal(1, "sg_layer_mem h_wce");
                    end
                end
`endif
                always @(posedge clk) begin
                    if (ce) begin
                        h_wan <= waddr_hi;
                        h_wa <= h_wan;
                        h_wd <= r_wd;
                    end
                end
                wire [2*AB-1:0] rpair;
                sg_ram #(.WIDTH(2 * AB), .DEPTH(DEPTH), .LANES(2), .AW(AW), .RAM_STYLE((m < NBLK) ? 1 : RAM_STYLE), .RE_CE(1), .AREG((((m < NBLK) ? 1 : RAM_STYLE) == 2) ? 2 : 0), .WE_CE(1)) ram_pair (
                    .clk(clk), .ce(ce), .we({h_wce, r_wce}), .waddr(r_we ? r_wa : h_wa), .wdata({h_wd, r_wd}),
                    .re(rd_en), .raddr(ra_ff), .rdata(rpair));
                assign rff = rpair[AB-1:0];
                wire [W-1:0] rupw;
                assign rupw[AB-1:0] = rpair[2*AB-1:AB];
                if (AB < W) begin : g_upz
                    assign rupw[W-1:AB] = {(W-AB){1'b0}};
                end
                assign up_data[m*W +: W] = rupw << ASH;
`ifndef SYNTHESIS
                always @(posedge clk) begin
                    if (!rst && ce && r_we && h_we) begin
                        $display("sg_layer_mem %m: writes in consecutive clocks (PAIR needs every other clock)");
                        $fatal(1, "sg_layer_mem PAIR write spacing");
                    end
                end
`endif
            end else begin : g_two
                sg_ram #(.WIDTH(AB), .DEPTH(DEPTH), .AW(AW), .RAM_STYLE((m < NBLK) ? 1 : RAM_STYLE), .RE_CE(1), .AREG((((m < NBLK) ? 1 : RAM_STYLE) == 2) ? 2 : 0), .WE_CE(WREG)) ram_ff (
                    .clk(clk), .ce(ce), .we(r_wce), .waddr(r_wa), .wdata(r_wd),
                    .re(rd_en), .raddr(ra_ff), .rdata(rff));
                if (PORTS == 2) begin : g_up
                    wire [AB-1:0] rup;
                    wire [W-1:0]  rupw;
                    sg_ram #(.WIDTH(AB), .DEPTH(DEPTH), .AW(AW), .RAM_STYLE((BANKS + m < NBLK) ? 1 : RAM_STYLE), .RE_CE(1), .AREG((((BANKS + m < NBLK) ? 1 : RAM_STYLE) == 2) ? 2 : 0), .WE_CE(WREG)) ram_up (
                        .clk(clk), .ce(ce), .we(r_wce), .waddr(r_wa), .wdata(r_wd),
                        .re(rd_en), .raddr(ra_up), .rdata(rup));
                    assign rupw[AB-1:0] = rup;
                    if (AB < W) begin : g_upz
                        assign rupw[W-1:AB] = {(W-AB){1'b0}};
                    end
                    assign up_data[m*W +: W] = rupw << ASH;
                end else begin : g_noup
                    assign up_data[m*W +: W] = ff_data[m*W +: W];
                end
            end
            assign rffw[AB-1:0] = rff;
            if (AB < W) begin : g_ffz
                assign rffw[W-1:AB] = {(W-AB){1'b0}};
            end
            assign ff_data[m*W +: W] = rffw << ASH;
        end
    endgenerate
endmodule
`default_nettype wire
