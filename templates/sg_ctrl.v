`default_nettype none
// sg_ctrl: the junction-cycle controller and the one global clock enable.
// A junction cycle is CYCLE clocks. A new cycle starts when the previous one has ended and there is a slot to put
// in it: an empty slot while a flush is pending (flush has priority), else a sample whose first input beat is
// offered. Otherwise the pipeline waits at the cycle boundary. The slot record (sample?, update, label, shift)
// moves one place along a shift register at every cycle start, so slot[d] is the slot that entered d cycles ago:
// FF of junction j uses slot[g j], BP/UP of junction j uses slot[g (2J - j + 1)], with the hand-over gap g = GAP
// (1, or 2 with overlapped cycles; docs/schedule.md).
// Overlapped cycles (GAP = 2): a cycle's arithmetic drains for up to DRAIN clocks after its last clock, while the
// next cycle runs; busy covers that drain, so the memory port and idle wait for it (DRAIN = 0: the cycle already
// contains the drain).
// ce (the clock enable of every register and RAM of the design) is a register: it is low in a clock in which an
// input beat is needed but the input FIFO (sg_fifo2 in the top level, between the port and layer 0) is empty, or in
// which the result FIFO is full. Then nothing anywhere changes, so results do not depend on stalls. The FIFOs work
// outside ce: the ports take and give words whenever the FIFOs have room or data, so the streams' valid and ready
// reach no enable. ce is decided two clocks ahead, so that its next value (ce_next, which registers beside every
// bank's RAMs fold into their write and read enables) is a register too: ce1 = ce in the next clock, loaded with
// ce in the clock after that. The decision is made from registers only, no port: the FIFOs' counts, the pipeline's
// own pops and pushes of this clock and the next, and the controller's state two clocks ahead. So it counts no
// word a port hands in or takes in this clock or the next (and sees a flush request and mm_req one clock late):
// the input FIFO has three entries (IN_DEPTH) and is ready when it gives its head in the same clock (in_ready =
// count != 3 || in_wr), the result FIFO four (OUT_DEPTH), so that with a source that is always valid and a sink
// that is always ready ce never falls (the plan's clocks per sample). The ports' valid, ready and requests (from
// anywhere on the device: the P&R wrapper's shift register, a user's logic) reach the FIFOs' counts and a few
// registers, not the decision's eight levels of logic (the routed anchor network's slowest path at 77.1 MHz).
module sg_ctrl #(
    // junctions
    parameter integer J = 1,
    // clocks per junction cycle (plan cycle_clocks)
    parameter integer CYCLE = 16,
    // input beats per sample (p_1 / z_1)
    parameter integer BEATS = 1,
    // clocks from one input beat to the next within a cycle: 1, or 2 when layer 0's two read copies share one RAM
    // and each beat takes two writes (sg_layer_mem PAIR): beats in clocks 0, BSTEP, 2 BSTEP, ... of the cycle; the
    // last one before the cycle's last clock, in which the next cycle's start is decided from the input FIFO's head
    // (the next sample's first beat)
    parameter integer BSTEP = 1,
    // 1: training (2gJ + 1 slots, flush of 2gJ empty slots), 0: inference (gJ + 1 slots, flush of gJ)
    parameter integer TRAIN = 1,
    // hand-over gap g: 1, or 2 (overlapped cycles)
    parameter integer GAP = 1,
    // clocks the pipeline still works after a cycle's last clock (overlapped cycles: the deepest junction's
    // latency; else 0)
    parameter integer DRAIN = 0,
    // label bits
    parameter integer LBW = 1,
    // slots kept: TRAIN ? 2gJ + 1 : gJ + 1
    parameter integer NS = 3,
    // entries of the input FIFO and the result FIFO (the top level's in_fifo and out_fifo): 3 and 4
    parameter integer IN_DEPTH = 3,
    parameter integer OUT_DEPTH = 4
) (
    input  wire            clk,
    input  wire            rst,
    // input FIFO: its count, a word entering it in this clock, its head (the first beat of a sample carries label,
    // shift, update)
    input  wire [2:0]      in_count,
    input  wire            in_push,      // (simulation checks only)
    input  wire [LBW-1:0]  in_label,
    input  wire [4:0]      in_shift,
    input  wire            in_update,
    output wire            in_wr,        // this clock takes the head input beat and writes it into layer 0
    output wire            in_wr_next,   // in_wr in the next clock (the input FIFO's data enables are registers)
    // flush request: 2gJ (inference: gJ) empty slots
    input  wire            flush_valid,
    output wire            flush_ready,
    // result FIFO: res_valid from the last junction (pushed when ce), its count, a word leaving it in this clock
    input  wire            res_valid,
    // res_valid in the next clock (the last junction's, one clock ahead)
    input  wire            res_valid_next,
    input  wire [2:0]      out_count,
    output wire            res_push,
    // memory port request: holds the start of the next cycle
    input  wire            mm_req,
    // status and control
    output reg             ce,
    // ce's value in the next clock (ce is a register loaded with it; ce_next is a register too): for registers
    // that must include ce
    output wire            ce_next,
    output wire            cyc_start,
    output reg             running,
    output wire            busy,
    output wire            idle,
    output reg  [NS-1:0]     slot_valid,
    output reg  [NS-1:0]     slot_update,
    output reg  [NS*LBW-1:0] slot_label,
    output reg  [NS*5-1:0]   slot_shift
);
    localparam integer CB = (CYCLE > 1) ? $clog2(CYCLE) : 1;
    localparam integer FLUSH_I = (TRAIN != 0) ? 2 * GAP * J : GAP * J;
    localparam integer FB = $clog2(FLUSH_I + 1);
    localparam integer CLAST_I = CYCLE - 1;
    localparam integer BEATS_I = BEATS;
    // the first clock after the last beat clock (<= CYCLE + 1: fits CB + 1 bits)
    localparam integer BEND_I = BEATS * BSTEP;
    localparam integer DB = (DRAIN > 0) ? $clog2(DRAIN + 1) : 1;
    localparam integer DRAIN_I = DRAIN;

    initial begin
        if (J < 1 || CYCLE < 2 || BEATS < 1 || (BSTEP != 1 && BSTEP != 2) || (BEATS - 1) * BSTEP + 2 > CYCLE ||
            (GAP != 1 && GAP != 2) || DRAIN < 0 || NS != FLUSH_I + 1 || LBW < 1 || IN_DEPTH != 3 || OUT_DEPTH != 4) begin
            $display("sg_ctrl: illegal parameters J=%0d CYCLE=%0d BEATS=%0d BSTEP=%0d TRAIN=%0d GAP=%0d DRAIN=%0d NS=%0d",
                     J, CYCLE, BEATS, BSTEP, TRAIN, GAP, DRAIN, NS);
            $finish;
        end
    end

    reg [CB-1:0] cyc_clk;
    reg [FB-1:0] flush_cnt;
    // beat_need (an input beat is needed in this clock: running, the slot holds a sample, cyc_clk < BEATS * BSTEP
    // and a multiple of BSTEP) and
    // boundary (no cycle running, or its last clock) are registers, computed one clock ahead from the next values of
    // running, cyc_clk and the slot (checked against their definitions in every simulation); so is ce.
    // in_wr (= beat_need && ce, the input FIFO's pop: a net to every bit of its data) is a register too
    reg beat_need, boundary, in_wr_r;
    assign in_wr = in_wr_r;
    assign res_push = res_valid && ce;
    // a flush is taken only when none is pending and the input FIFO is empty: the beats handed in before it have
    // started their cycles, so its empty slots come after them (and before any beat handed in later)
    assign flush_ready = (flush_cnt == {FB{1'b0}}) && (in_count == 3'd0);
    // drain: clocks of the last cycle's arithmetic still to come after it ended
    reg [DB-1:0] drain;
    assign busy = running || (drain != {DB{1'b0}});
    assign idle = !busy && flush_ready && in_count == 3'd0 && out_count == 3'd0;

    wire flushing = (flush_cnt != {FB{1'b0}});
    // cyc_start (= ce && boundary && (flushing || (in_count != 0 && !mm_req two clocks before)), where flushing
    // and in_count leave out a flush taken and a word pushed in the clock before) is a register too, computed one
    // clock ahead from the next values of ce and boundary and the flush count and input FIFO's count without this
    // clock's requests: it reaches every junction's counters and, through their read enables, the block RAMs. So a
    // memory request holds the start of a cycle from the second clock after mm_req rises; the top level does not
    // accept an
    // access in a clock in which a cycle starts (mm_go)
    reg cyc_start_r;
    assign cyc_start = cyc_start_r;

    // next state (the registers take it in every clock)
    // bl: input beats still to come in this cycle after the current clock (a down counter, so that beat_need's next
    // value is a zero test of a register, not a comparison behind an adder: it feeds ce's next value)
    reg [CB-1:0] bl;
    // BSTEP = 2: the next clock is a beat clock (an even cyc_clk) when this one is odd
    wire         next_bclk = (BSTEP == 1) || cyc_clk[0];
    reg          running_n, beat_need_n, boundary_n;
    reg [CB-1:0] cyc_clk_n, bl_n;
    reg [DB-1:0] drain_n;
    reg [NS-1:0] slot_valid_n, slot_update_n;
    always @* begin
        running_n = running;
        beat_need_n = beat_need;
        boundary_n = boundary;
        cyc_clk_n = cyc_clk;
        bl_n = bl;
        drain_n = (ce && drain != {DB{1'b0}}) ? drain - 1'b1 : drain;
        slot_valid_n = slot_valid;
        slot_update_n = slot_update;
        if (ce) begin
            if (cyc_start) begin
                running_n = 1'b1;
                cyc_clk_n = {CB{1'b0}};
                slot_valid_n = {slot_valid[NS-2:0], !flushing};
                slot_update_n = {slot_update[NS-2:0], !flushing && in_update && (TRAIN != 0)};
                // cyc_clk becomes 0 < BEATS; CYCLE >= 2, so clock 0 is not the last
                beat_need_n = !flushing;
                bl_n = BEATS_I[CB-1:0] - 1'b1;
                boundary_n = 1'b0;
            end else if (running) begin
                if (boundary) begin
                    running_n = 1'b0;
                    beat_need_n = 1'b0;
                    drain_n = DRAIN_I[DB-1:0];
                end else begin
                    cyc_clk_n = cyc_clk + 1'b1;
                    // beats are left after this clock and the next clock is a beat clock
                    beat_need_n = slot_valid[0] && (bl != {CB{1'b0}}) && next_bclk;
                    bl_n = (bl != {CB{1'b0}} && next_bclk) ? bl - 1'b1 : bl;
                    boundary_n = (cyc_clk + 1'b1 == CLAST_I[CB-1:0]);
                end
            end
        end
    end
    // ce in the next clock: decided in the clock before (ce1)
    reg        ce1;
    wire       ce_n = ce1;
    assign ce_next = ce1;
    reg [FB-1:0] flush_cnt_n;
    always @* begin
        flush_cnt_n = flush_cnt;
        if (ce && cyc_start && flushing) flush_cnt_n = flush_cnt - 1'b1;
        else if (flush_valid && flush_ready) flush_cnt_n = FLUSH_I[FB-1:0];
    end
    // The decision's logic (cyc_start_n, beat_need_nn, ce_nn) is written with the fast forms below of the next
    // values: flags that are registers of their own, loaded one clock ahead like every controller register, so that
    // each next value is one LUT of registers and the decision about four LUT levels (ce_nn was eight levels
    // through the counters' next values, and it shared a LUT with a junction: the routed anchor network's slowest
    // path at 83.4 MHz). The simulation checks each fast form against the next-state rule above in every clock.
    //   cs_f   = ce && cyc_start                         (a cycle starts in this clock)
    //   adv_f  = ce && !cyc_start && running && !boundary (a running cycle moves to its next clock)
    //   endc_f = ce && !cyc_start && running && boundary  (a running cycle ends)
    //   lastm1_f = (cyc_clk == CLAST - 1), bl0_f = (bl == 0), bl1_f = (bl == 1), fl0_f = (flush_cnt == 0),
    //   fl1_f = (flush_cnt == 1)
    reg cs_f, adv_f, endc_f, lastm1_f, bl0_f, bl1_f, fl0_f, fl1_f;
    wire       running_f = cs_f || adv_f || (!ce && running);
    wire       boundary_f = cs_f ? 1'b0 : adv_f ? lastm1_f : boundary;
    wire       sv0_f = cs_f ? fl0_f : slot_valid[0];
    wire       blnz_f = cs_f ? (BEATS_I != 1) : (adv_f && !bl0_f && next_bclk) ? !bl1_f : !bl0_f;
    wire       cc0_f = cs_f ? 1'b0 : adv_f ? !cyc_clk[0] : cyc_clk[0];
    wire       beat_need_f = cs_f ? fl0_f : adv_f ? (slot_valid[0] && !bl0_f && next_bclk) : endc_f ? 1'b0 : beat_need;
    // the flush count in the next clock without a flush taken in this clock (it starts its slots one clock
    // later): zero?
    wire       fls0_f = (cs_f && !fl0_f) ? fl1_f : fl0_f;
    // the FIFOs' counts are taken without the ports' words: at least as many words as the input FIFO will hold
    // (this clock's push not counted), at most as many as the result FIFO will (its pops not counted).
    // The input FIFO holds a word in the next clock without this clock's push (in_count > in_wr)
    wire       in_nz_f = (in_count > {2'b0, in_wr});
    reg        mm_req_q;
    always @(posedge clk) mm_req_q <= !rst && mm_req;
    wire       cyc_start_n = ce_n && boundary_f && (!fls0_f || (in_nz_f && !mm_req_q));
    // beat_need two clocks ahead (the next-state rule above, applied to the next clock's state), and from it ce
    // two clocks ahead: the clock may run if it needs no input beat or the input FIFO will hold one without the
    // words still to come, and the result FIFO will have room for the beat it may produce without the words
    // still to leave
    wire       beat_need_nn = !ce_n ? beat_need_f : cyc_start_n ? fls0_f :
                              running_f ? (!boundary_f && sv0_f && blnz_f && ((BSTEP == 1) || cc0_f)) : beat_need_f;
    wire       in_wr_n = beat_need_f && ce_n;
    // in_wr's next value is a register too (in_wr1, loaded with in_wr two clocks ahead): the input FIFO's data
    // enables, computed from it one clock ahead, and in_wr's own copies are then loaded from registers
    reg        in_wr1;
    assign in_wr_next = in_wr1;
    wire       res_push_n = res_valid_next && ce_n;
    // in_count - in_wr - in_wr_n > 0, and out_count + res_push + res_push_n < OUT_DEPTH (never above it)
    wire       in_ok_nn = (in_count > {2'b0, in_wr} + {2'b0, in_wr1});
    wire       out_ok_nn = (out_count + {2'b0, res_push} + {2'b0, res_push_n} != OUT_DEPTH[2:0]);
    wire       ce_nn = (!beat_need_nn || in_ok_nn) && out_ok_nn;
    always @(posedge clk) begin
        if (rst) begin
            cs_f <= 1'b0;
            in_wr1 <= 1'b0;
            adv_f <= 1'b0;
            endc_f <= 1'b0;
            lastm1_f <= (CLAST_I == 1);
            bl0_f <= 1'b1;
            bl1_f <= 1'b0;
            fl0_f <= 1'b1;
            fl1_f <= 1'b0;
        end else begin
            cs_f <= ce_n && cyc_start_n;
            in_wr1 <= beat_need_nn && ce_nn;
            adv_f <= ce_n && !cyc_start_n && running_f && !boundary_f;
            endc_f <= ce_n && !cyc_start_n && running_f && boundary_f;
            lastm1_f <= (cyc_clk_n == CLAST_I[CB-1:0] - 1'b1);
            bl0_f <= (bl_n == {CB{1'b0}});
            bl1_f <= (bl_n == {{(CB-1){1'b0}}, 1'b1});
            fl0_f <= (flush_cnt_n == {FB{1'b0}});
            fl1_f <= (flush_cnt_n == {{(FB-1){1'b0}}, 1'b1});
        end
    end

    always @(posedge clk) begin
        if (rst) begin
            running <= 1'b0;
            cyc_clk <= {CB{1'b0}};
            bl <= {CB{1'b0}};
            slot_valid <= {NS{1'b0}};
            slot_update <= {NS{1'b0}};
            beat_need <= 1'b0;
            boundary <= 1'b1;
            drain <= {DB{1'b0}};
            ce <= 1'b1;
            ce1 <= 1'b1;
            in_wr_r <= 1'b0;
            cyc_start_r <= 1'b0;
        end else begin
            running <= running_f;
            cyc_clk <= cyc_clk_n;
            bl <= bl_n;
            slot_valid <= slot_valid_n;
            slot_update <= slot_update_n;
            beat_need <= beat_need_f;
            boundary <= boundary_f;
            drain <= drain_n;
            ce <= ce_n;
            ce1 <= ce_nn;
            in_wr_r <= in_wr1;
            cyc_start_r <= cyc_start_n;
        end
    end
    // The flush request is accepted whatever ce is (flush_ready depends on registers only); it only
    // matters at the next cycle boundary.
    always @(posedge clk) begin
        if (rst) flush_cnt <= {FB{1'b0}};
        else flush_cnt <= flush_cnt_n;
    end
    always @(posedge clk) begin
        if (ce && cyc_start) begin
            slot_label <= {slot_label[(NS-1)*LBW-1:0], in_label};
            slot_shift <= {slot_shift[(NS-1)*5-1:0], in_shift};
        end
    end
`ifndef SYNTHESIS
    // Simulation only: the registered beat_need, boundary and cyc_start equal their definitions in every clock, and ce never
    // lets a clock take a beat the input FIFO does not hold or push a result the result FIFO has no room for.
    // (flushing and the input FIFO's count as the decision saw them: without a flush taken and a word pushed in
    // the clock before; mm_req two clocks before)
    reg mm_req_qq = 1'b0, in_push_q = 1'b0, flush_took_q = 1'b0;
    always @(posedge clk) begin
        mm_req_qq <= !rst && mm_req_q;
        in_push_q <= !rst && in_push;
        flush_took_q <= !rst && flush_valid && flush_ready;
    end
    wire [2:0] in_seen = in_count - {2'b0, in_push_q};
    wire [FB-1:0] flush_cnt_s = (ce && cyc_start && flushing) ? flush_cnt - 1'b1 : flush_cnt;
    always @(posedge clk) begin
        if (!rst && (cs_f !== (ce && cyc_start) || adv_f !== (ce && !cyc_start && running && !boundary) ||
                     endc_f !== (ce && !cyc_start && running && boundary) ||
                     lastm1_f !== (cyc_clk == CLAST_I[CB-1:0] - 1'b1) || bl0_f !== (bl == {CB{1'b0}}) ||
                     bl1_f !== (bl == {{(CB-1){1'b0}}, 1'b1}) || fl0_f !== (flush_cnt == {FB{1'b0}}) ||
                     fl1_f !== (flush_cnt == {{(FB-1){1'b0}}, 1'b1}))) begin
            $display("sg_ctrl: a registered flag of the decision differs from its definition");
            $fatal(1, "sg_ctrl flags");
        end
        if (!rst && in_wr1 !== in_wr_n) begin
            $display("sg_ctrl: registered in_wr_next %b differs from its definition", in_wr1);
            $fatal(1, "sg_ctrl in_wr_next");
        end
        if (!rst && (running_f !== running_n || boundary_f !== boundary_n || sv0_f !== slot_valid_n[0] ||
                     blnz_f !== (bl_n != {CB{1'b0}}) || cc0_f !== cyc_clk_n[0] || beat_need_f !== beat_need_n ||
                     fls0_f !== (flush_cnt_s == {FB{1'b0}}))) begin
            $display("sg_ctrl: a fast next value of the decision differs from the next-state rule (running %b/%b, boundary %b/%b, slot_valid[0] %b/%b, bl != 0 %b/%b, cyc_clk[0] %b/%b, beat_need %b/%b, flush count 0 %b/%b)",
                     running_f, running_n, boundary_f, boundary_n, sv0_f, slot_valid_n[0], blnz_f, bl_n != {CB{1'b0}},
                     cc0_f, cyc_clk_n[0], beat_need_f, beat_need_n, fls0_f, flush_cnt_s == {FB{1'b0}});
            $fatal(1, "sg_ctrl fast");
        end
    end
    always @(posedge clk) begin
        if (!rst && cyc_start_r !== (ce && boundary && ((flushing && !flush_took_q) || (in_seen != 3'd0 && !mm_req_qq)))) begin
            $display("sg_ctrl: registered cyc_start %b differs from its definition", cyc_start_r);
            $fatal(1, "sg_ctrl lookahead");
        end
        if (!rst && (beat_need !== (running && slot_valid[0] && ({1'b0, cyc_clk} < BEND_I[CB:0]) &&
                                    (BSTEP == 1 || !cyc_clk[0])) ||
                     boundary !== (!running || (cyc_clk == CLAST_I[CB-1:0])) || in_wr_r !== (beat_need && ce))) begin
            $display("sg_ctrl: registered beat_need %b / boundary %b differ from their definitions", beat_need,
                     boundary);
            $fatal(1, "sg_ctrl lookahead");
        end
        if (!rst && ((in_wr && in_count == 3'd0) || (res_push && out_count == OUT_DEPTH[2:0]))) begin
            $display("sg_ctrl: ce let a clock %0s", in_wr ? "take a beat from an empty input FIFO"
                                                             : "push a result into a full result FIFO");
            $fatal(1, "sg_ctrl ce");
        end
    end
`endif
endmodule
`default_nettype wire
