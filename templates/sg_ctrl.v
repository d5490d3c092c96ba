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
// ce (the clock enable of every register and RAM of the design) is low exactly when an input beat is needed but
// not offered, or a result beat is offered but not accepted: then nothing anywhere changes, so results do not
// depend on stalls. A result beat is offered (res_valid_o) only in clocks in which no input beat is missing: in
// such a clock the pipeline holds, so the beat could not be taken (it would be offered again in the next clock).
module sg_ctrl #(
    // junctions
    parameter integer J = 1,
    // clocks per junction cycle (plan cycle_clocks)
    parameter integer CYCLE = 16,
    // input beats per sample (p_1 / z_1)
    parameter integer BEATS = 1,
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
    parameter integer NS = 3
) (
    input  wire            clk,
    input  wire            rst,
    // input stream (first beat of a sample carries label, shift, update)
    input  wire            in_valid,
    output wire            in_ready,
    input  wire [LBW-1:0]  in_label,
    input  wire [4:0]      in_shift,
    input  wire            in_update,
    output wire            in_wr,        // this clock writes an input beat into layer 0
    // flush request: 2gJ (inference: gJ) empty slots
    input  wire            flush_valid,
    output wire            flush_ready,
    // result stream handshake: res_valid from the last junction, res_valid_o to the port
    input  wire            res_valid,
    input  wire            res_ready,
    output wire            res_valid_o,
    // memory port request: holds the start of the next cycle
    input  wire            mm_req,
    // status and control
    output wire            ce,
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
    localparam integer DB = (DRAIN > 0) ? $clog2(DRAIN + 1) : 1;
    localparam integer DRAIN_I = DRAIN;

    initial begin
        if (J < 1 || CYCLE < 2 || BEATS < 1 || BEATS > CYCLE || (GAP != 1 && GAP != 2) || DRAIN < 0 ||
            NS != FLUSH_I + 1 || LBW < 1) begin
            $display("sg_ctrl: illegal parameters J=%0d CYCLE=%0d BEATS=%0d TRAIN=%0d GAP=%0d DRAIN=%0d NS=%0d", J,
                     CYCLE, BEATS, TRAIN, GAP, DRAIN, NS);
            $finish;
        end
    end

    reg [CB-1:0] cyc_clk;
    reg [FB-1:0] flush_cnt;
    // beat_need (an input beat is needed in this clock: running, the slot holds a sample, cyc_clk < BEATS) and
    // boundary (no cycle running, or its last clock) are registers, computed one clock ahead from the next values of
    // running, cyc_clk and the slot: ce, which every register and RAM of the design waits for, is then one or two
    // LUTs after flip-flops and the stream inputs, with no comparator on the way (checked against their definitions
    // in every simulation)
    reg beat_need, boundary;
    wire in_stall = beat_need && !in_valid;
    wire res_stall = res_valid && !res_ready;
    assign ce = !res_stall && !in_stall;
    assign res_valid_o = res_valid && !in_stall;
    assign in_ready = beat_need && !res_stall;
    assign in_wr = beat_need && in_valid;
    assign flush_ready = (flush_cnt == {FB{1'b0}});
    // drain: clocks of the last cycle's arithmetic still to come after it ended
    reg [DB-1:0] drain;
    assign busy = running || (drain != {DB{1'b0}});
    assign idle = !busy && flush_ready;

    wire flushing = !flush_ready;
    assign cyc_start = ce && boundary && (flushing || (in_valid && !mm_req));

    always @(posedge clk) begin
        if (rst) begin
            running <= 1'b0;
            cyc_clk <= {CB{1'b0}};
            slot_valid <= {NS{1'b0}};
            slot_update <= {NS{1'b0}};
            beat_need <= 1'b0;
            boundary <= 1'b1;
            drain <= {DB{1'b0}};
        end else if (ce) begin
            if (drain != {DB{1'b0}}) drain <= drain - 1'b1;
            if (cyc_start) begin
                running <= 1'b1;
                cyc_clk <= {CB{1'b0}};
                slot_valid <= {slot_valid[NS-2:0], !flushing};
                slot_update <= {slot_update[NS-2:0], !flushing && in_update && (TRAIN != 0)};
                // cyc_clk becomes 0 < BEATS; CYCLE >= 2, so clock 0 is not the last
                beat_need <= !flushing;
                boundary <= 1'b0;
            end else if (running) begin
                if (boundary) begin
                    running <= 1'b0;
                    beat_need <= 1'b0;
                    drain <= DRAIN_I[DB-1:0];
                end else begin
                    cyc_clk <= cyc_clk + 1'b1;
                    beat_need <= slot_valid[0] && ({1'b0, cyc_clk} + 1'b1 < BEATS_I[CB:0]);
                    boundary <= (cyc_clk + 1'b1 == CLAST_I[CB-1:0]);
                end
            end
        end
    end
    // The flush request is accepted whatever ce is (flush_ready does not depend on the streams); it only
    // matters at the next cycle boundary.
    always @(posedge clk) begin
        if (rst) flush_cnt <= {FB{1'b0}};
        else if (ce && cyc_start && flushing) flush_cnt <= flush_cnt - 1'b1;
        else if (flush_valid && flush_ready) flush_cnt <= FLUSH_I[FB-1:0];
    end
    always @(posedge clk) begin
        if (ce && cyc_start) begin
            slot_label <= {slot_label[(NS-1)*LBW-1:0], in_label};
            slot_shift <= {slot_shift[(NS-1)*5-1:0], in_shift};
        end
    end
`ifndef SYNTHESIS
    // Simulation only: the registered beat_need and boundary equal their definitions in every clock.
    always @(posedge clk) begin
        if (!rst && (beat_need !== (running && slot_valid[0] && ({1'b0, cyc_clk} < BEATS_I[CB:0])) ||
                     boundary !== (!running || (cyc_clk == CLAST_I[CB-1:0])))) begin
            $display("sg_ctrl: registered beat_need %b / boundary %b differ from their definitions", beat_need,
                     boundary);
            $fatal(1, "sg_ctrl lookahead");
        end
    end
`endif
endmodule
`default_nettype wire
