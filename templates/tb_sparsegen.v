// tb_sparsegen: the self-checking testbench of a generated accelerator (simulation only; iverilog -g2012).
// It includes tb_config.vh (written by `sparsegen rtl`: the network's sizes) and vectors.vh (written by
// `sparsegen vectors`), reads the vector files from +vec=DIR (default "vec"), feeds the samples (with seeded
// valid/ready stalls on both streams when the vectors ask for them), checks every result beat, flushes, reads
// back every weight and bias through the memory port and compares them, then writes every one of them through the
// port with a pattern and reads them back again (each write reaches its word and no other), checks the
// steady-state clocks per sample against the plan (without stalls), and ends with one line: PASS or FAIL (a
// failure also calls $fatal).
// Vectors made with `sparsegen vectors --schedule sequential` (SEQ = 1) make it request a flush after every sample
// and offer the next sample only once that flush has been taken: the hardware then runs FF, BP and UP of one
// sample at a time, (2gJ + 1) * CYCLE clocks per sample ((gJ + 1) * CYCLE in inference; g = GAP), which it checks.
// +vcd writes tb.vcd; +waves=FILE dumps everything to FILE (VCD, or FST with `vvp ... -fst` or a Verilator build
// with --trace-fst); +no_readback skips the weight and bias read-back and the write test (spot checks of very wide
// networks).
`timescale 1ns / 1ps
`default_nettype none
module tb_sparsegen;
`include "tb_config.vh"
`include "vectors.vh"
    localparam NBO = NJ / QJ;  // result beats per sample
    localparam MAXERR = 20;
    // slots per sample: 1 (pipelined) or 1 + the flush after it (sequential)
    localparam integer SLOTS = (SEQ != 0) ? ((TRAIN != 0) ? 2 * GAP * J + 1 : GAP * J + 1) : 1;
    localparam integer MAXCLK = (NSAMP * SLOTS + 2 * GAP * J + 4) * CYCLE * ((STALLS != 0) ? 8 : 2) +
                                4 * (TOTAL_W + TOTAL_B) + 10000;

    reg clk = 1'b0;
    reg rst = 1'b1;
    always #5 clk = ~clk;

    reg              in_valid = 1'b0;
    wire             in_ready;
    reg [Z1*B-1:0]   in_data = 0;
    reg [LBW-1:0]    in_label = 0;
    reg [4:0]        in_shift = 0;
    reg              in_update = 1'b0;
    reg              flush_valid = 1'b0;
    reg              seq_flush = 1'b0;  // sequential schedule: the flush after each sample but the last
    wire             flush_ready;
    wire             res_valid;
    reg              res_ready = 1'b0;
    wire             res_last;
    wire [QJ*W-1:0]  res_data;
    wire [LBW-1:0]   res_pred;
    reg              mm_en = 1'b0, mm_we = 1'b0;
    reg              mm_race = 1'b0, race_on = 1'b1;  // memory-port reads during the stream (with stalls, below)
    reg [MM_AW-1:0]  mm_addr = 0;
    reg [W-1:0]      mm_wdata = 0;
    wire [W-1:0]     mm_rdata;
    wire             mm_rvalid;
    wire             idle;

    `SG_TOP dut (
        .clk(clk), .rst(rst),
        .in_valid(in_valid), .in_ready(in_ready), .in_data(in_data), .in_label(in_label), .in_shift(in_shift),
        .in_update(in_update), .flush_valid(flush_valid || seq_flush), .flush_ready(flush_ready),
        .res_valid(res_valid), .res_ready(res_ready), .res_last(res_last), .res_data(res_data), .res_pred(res_pred),
        .mm_en(mm_en || mm_race), .mm_we(mm_we), .mm_addr(mm_addr), .mm_wdata(mm_wdata), .mm_rdata(mm_rdata),
        .mm_rvalid(mm_rvalid), .idle(idle));

    // ---- vectors ----
    reg [Z1*B-1:0] beats    [0:NSAMP*BEATS-1];
    reg [31:0]     meta     [0:NSAMP-1];
    reg [QJ*W-1:0] exp_act  [0:NSAMP*NBO-1];
    reg [15:0]     exp_pred [0:NSAMP-1];
    reg [15:0]     exp_w    [0:TOTAL_W-1];
    reg [15:0]     exp_b    [0:TOTAL_B-1];
    reg [3:0]      stall    [0:NSTALL-1];
    reg [8*512-1:0] vdir, fname;
    integer fd;

    task need_file;
        input [8*512-1:0] name;
        begin
            fd = $fopen(name, "r");
            if (fd == 0) begin
                $display("cannot open vector file %0s", name);
                $display("FAIL");
                $fatal(1, "missing vector file");
            end
            $fclose(fd);
        end
    endtask

    integer errors = 0;
    function integer sx;  // sign-extend a W-bit code
        input [15:0] v;
        begin
            sx = v[W-1] ? $signed({1'b0, v[W-1:0]}) - (1 << W) : v[W-1:0];
        end
    endfunction
    task mismatch;
        input integer j;
        input [8*8-1:0] phase;
        input integer sample;
        input integer index;
        input integer expv;
        input integer actv;
        begin
            if (errors < MAXERR)
                $display("MISMATCH junction %0d phase %0s sample %0d index %0d expected %0d actual %0d", j, phase,
                         sample, index, expv, actv);
            errors = errors + 1;
        end
    endtask

    integer clk_n = 0;
    always @(posedge clk) clk_n <= clk_n + 1;
    always @(posedge clk) begin
        if (clk_n > MAXCLK) begin
            $display("timeout after %0d clocks (samples offered %0d, results %0d)", clk_n, si, ri);
            $display("FAIL");
            $fatal(1, "timeout");
        end
    end

    // ---- input stream ----
    integer si = 0, bi = 0, si_n, bi_n;
    integer fl_n = 0;  // sequential schedule: flushes taken after samples 0 .. fl_n - 1
    integer t_start [0:NSAMP-1];
    always @(posedge clk) begin
        if (!rst) begin
            si_n = si;
            bi_n = bi;
            if (in_valid && in_ready) begin
                if (bi == 0) t_start[si] = clk_n;
                if (bi == BEATS - 1) begin
                    bi_n = 0;
                    si_n = si + 1;
                end else begin
                    bi_n = bi + 1;
                end
            end
            si <= si_n;
            bi <= bi_n;
            if (!(in_valid && !in_ready)) begin
                if (si_n < NSAMP && (SEQ == 0 || fl_n >= si_n) && !(STALLS != 0 && stall[clk_n % NSTALL][0])) begin
                    in_valid <= 1'b1;
                    in_data <= beats[si_n * BEATS + bi_n];
                    in_label <= meta[si_n][LBW-1:0];
                    in_shift <= meta[si_n][20:16];
                    in_update <= meta[si_n][24];
                end else begin
                    in_valid <= 1'b0;
                end
            end
        end
    end

    // ---- sequential schedule: after sample k (k < NSAMP - 1) has been loaded, request a flush; sample k + 1 is
    // offered only after it has been taken (fl_n > k), so the flush's empty slots come first. The flush after the
    // last sample is the final flush of the initial block. ----
    always @(posedge clk) begin
        if (!rst && SEQ != 0) begin
            if (seq_flush && flush_ready) begin
                seq_flush <= 1'b0;
                fl_n <= fl_n + 1;
            end else if (!seq_flush && fl_n < si && fl_n < NSAMP - 1) begin
                seq_flush <= 1'b1;
            end
        end
    end

    // ---- result stream ----
    integer ri = 0, rb = 0, g;
    always @(posedge clk) begin
        if (!rst) begin
            res_ready <= !(STALLS != 0 && stall[(clk_n * 7 + 3) % NSTALL][1]);
            if (res_valid && res_ready) begin
                if (ri >= NSAMP) begin
                    mismatch(J, "FF", ri, 0, 0, 1);
                end else begin
                    for (g = 0; g < QJ; g = g + 1)
                        if (res_data[g*W +: W] !== exp_act[ri * NBO + rb][g*W +: W])
                            mismatch(J, "FF", ri, rb * QJ + g, sx(exp_act[ri * NBO + rb][g*W +: W]),
                                     sx(res_data[g*W +: W]));
                    if (res_last !== (rb == NBO - 1)) mismatch(J, "last", ri, rb, rb == NBO - 1, res_last);
                    if (rb == NBO - 1 && res_pred !== exp_pred[ri][LBW-1:0])
                        mismatch(J, "pred", ri, 0, exp_pred[ri], res_pred);
                end
                if (rb == NBO - 1) begin
                    rb <= 0;
                    ri <= ri + 1;
                end else begin
                    rb <= rb + 1;
                end
            end
        end
    end

    // ---- memory port: one read per clock, driven on the falling edge (no dependence on event order); the data
    // come back 5 clocks later with mm_rvalid and are collected in order ----
    localparam NRD = TOTAL_W + TOTAL_B;
    reg [W-1:0] rd_buf [0:2*NRD-1];
    integer rd_n = 0;
    // with stalls: reads of word 0 requested during the sample stream, mm_en held for 3 to 9 clocks from about one
    // clock in eleven (stall pattern entries with both low bits set; the length from the high bits). The top level
    // takes one only in a clock in which no cycle starts (now or in the next clock), runs or drains, and a request
    // holds cycle starts back; the junctions check that no access meets their own use of the RAMs, and the results
    // must stay bit-exact. The data read are not compared (the weights change while samples train).
    integer race_rd = 0, race_left = 0;
    always @(posedge clk) begin
        if (race_left != 0) race_left <= race_left - 1;
        else if (!rst && race_on && STALLS != 0 && si < NSAMP && stall[(clk_n * 13 + 5) % NSTALL][1:0] == 2'b11)
            race_left <= 3 + 2 * stall[(clk_n * 13 + 5) % NSTALL][3:2];
    end
    always @(*) mm_race = race_left != 0;
    always @(posedge clk) begin
        if (mm_rvalid && race_on) begin
            race_rd <= race_rd + 1;
        end else if (mm_rvalid) begin
            if (rd_n < 2 * NRD) rd_buf[rd_n] <= mm_rdata;
            rd_n <= rd_n + 1;
        end
    end
    task mm_issue;
        input integer bias, j, row, lane;
        begin
            @(negedge clk);
            mm_en = 1'b1;
            mm_we = 1'b0;
            mm_addr = (((bias * (1 << MM_JB) + (j - 1)) * (1 << MM_RB) + row) * (1 << MM_LB)) + lane;
        end
    endtask
    task mm_write;
        input integer bias, j, row, lane;
        input [W-1:0] value;
        begin
            @(negedge clk);
            mm_en = 1'b1;
            mm_we = 1'b1;
            mm_wdata = value;
            mm_addr = (((bias * (1 << MM_JB) + (j - 1)) * (1 << MM_RB) + row) * (1 << MM_LB)) + lane;
        end
    endtask
    // every word read back, in order: each junction's weights (row, lane), then its biases (neuron)
    task mm_read_all;
        begin
            for (j = 1; j <= J; j = j + 1) begin
                for (c = 0; c < JC[(j-1)*32 +: 32]; c = c + 1)
                    for (k = 0; k < JZ[(j-1)*32 +: 32]; k = k + 1) mm_issue(0, j, c, k);
                for (r = 0; r < JN[(j-1)*32 +: 32]; r = r + 1)
                    mm_issue(1, j, r / JQ[(j-1)*32 +: 32], r % JQ[(j-1)*32 +: 32]);
            end
            @(negedge clk);
            mm_en = 1'b0;
            // the last read's data: mm_rvalid 5 clocks after its request, collected at the edge after that
            repeat (8) @(posedge clk);
        end
    endtask
    // the value the write test puts in word i of that order: differs between neighbouring words and lanes
    function [W-1:0] mm_pattern;
        input integer i;
        mm_pattern = (i * 37 + 5) ^ (i >> 4);
    endfunction

    integer j, c, k, r, rk, woff, boff, cps, nz, no_rb;
    reg [W-1:0] v;
    reg [8*512-1:0] wfile;
    initial begin
        if ($value$plusargs("waves=%s", wfile)) begin
            $dumpfile(wfile);
            $dumpvars(0, tb_sparsegen);
        end else if ($test$plusargs("vcd")) begin
            $dumpfile("tb.vcd");
            $dumpvars(0, tb_sparsegen);
        end
        if (V_Z1 != Z1 || V_BEATS != BEATS || V_QJ != QJ || V_NJ != NJ || V_TOTAL_W != TOTAL_W ||
            V_TOTAL_B != TOTAL_B) begin
            $display("the vectors were made for another network");
            $display("FAIL");
            $fatal(1, "vectors do not match");
        end
        if (!$value$plusargs("vec=%s", vdir)) vdir = "vec";
        $sformat(fname, "%0s/in_beats.hex", vdir); need_file(fname); $readmemh(fname, beats);
        $sformat(fname, "%0s/in_meta.hex", vdir);  need_file(fname); $readmemh(fname, meta);
        $sformat(fname, "%0s/exp_act.hex", vdir);  need_file(fname); $readmemh(fname, exp_act);
        $sformat(fname, "%0s/exp_pred.hex", vdir); need_file(fname); $readmemh(fname, exp_pred);
        $sformat(fname, "%0s/exp_w.hex", vdir);    need_file(fname); $readmemh(fname, exp_w);
        $sformat(fname, "%0s/exp_b.hex", vdir);    need_file(fname); $readmemh(fname, exp_b);
        $sformat(fname, "%0s/stalls.hex", vdir);   need_file(fname); $readmemh(fname, stall);

        repeat (4) @(posedge clk);
        rst <= 1'b0;
        // all samples in, then a flush, then wait for every result and an idle pipeline
        wait (si == NSAMP);
        // flush (driven on the falling edge once flush_ready is high: no flush pending and every beat handed in has
        // left the input FIFO, so the flush comes after the last sample; it is taken at the next rising edge)
        @(negedge clk);
        while (flush_ready !== 1'b1) @(negedge clk);
        flush_valid = 1'b1;
        @(negedge clk);
        flush_valid = 1'b0;
        if (flush_ready !== 1'b0) mismatch(0, "flush", NSAMP, 1, 0, flush_ready);
        wait (ri == NSAMP && idle);
        repeat (2) @(posedge clk);
        race_on = 1'b0;
        if (STALLS != 0) $display("%0d memory-port reads taken during the sample stream", race_rd);
        // read back every weight (junction, row, lane) and every bias (junction, row, bank), then compare
        // (+no_readback skips this: one word per clock is most of a short simulation of a very wide network under
        // Icarus; only for spot checks, the result beats are still all compared)
        no_rb = $test$plusargs("no_readback");
        if (!no_rb) begin
        mm_read_all;
        if (rd_n != NRD) mismatch(0, "mmport", -1, 0, NRD, rd_n);
        woff = 0;
        boff = 0;
        rk = 0;
        for (j = 1; j <= J; j = j + 1) begin
            nz = JZ[(j-1)*32 +: 32];
            for (c = 0; c < JC[(j-1)*32 +: 32]; c = c + 1)
                for (k = 0; k < nz; k = k + 1) begin
                    v = rd_buf[rk];
                    rk = rk + 1;
                    if (v !== exp_w[woff + c * nz + k][W-1:0])
                        mismatch(j, "UP-w", NSAMP, c * nz + k, sx(exp_w[woff + c * nz + k]), sx({{(16-W){1'b0}}, v}));
                end
            for (r = 0; r < JN[(j-1)*32 +: 32]; r = r + 1) begin
                v = rd_buf[rk];
                rk = rk + 1;
                if (v !== exp_b[boff + r][W-1:0])
                    mismatch(j, "UP-b", NSAMP, r, sx(exp_b[boff + r]), sx({{(16-W){1'b0}}, v}));
            end
            woff = woff + JW[(j-1)*32 +: 32];
            boff = boff + JN[(j-1)*32 +: 32];
        end
        // then the port's writes: every weight and bias written, one word per clock in the read order (the lanes of
        // a row in consecutive clocks), with a pattern, and everything read back: each write reaches its word and
        // no other (phase mm-w / mm-b, sample -1: not a training result)
        rk = 0;
        for (j = 1; j <= J; j = j + 1) begin
            for (c = 0; c < JC[(j-1)*32 +: 32]; c = c + 1)
                for (k = 0; k < JZ[(j-1)*32 +: 32]; k = k + 1) begin
                    mm_write(0, j, c, k, mm_pattern(rk));
                    rk = rk + 1;
                end
            for (r = 0; r < JN[(j-1)*32 +: 32]; r = r + 1) begin
                mm_write(1, j, r / JQ[(j-1)*32 +: 32], r % JQ[(j-1)*32 +: 32], mm_pattern(rk));
                rk = rk + 1;
            end
        end
        @(negedge clk);
        mm_en = 1'b0;
        mm_we = 1'b0;
        repeat (2) @(posedge clk);
        mm_read_all;
        if (rd_n != 2 * NRD) mismatch(0, "mmport", -1, 1, 2 * NRD, rd_n);
        rk = 0;
        for (j = 1; j <= J; j = j + 1) begin
            nz = JZ[(j-1)*32 +: 32];
            for (c = 0; c < JC[(j-1)*32 +: 32]; c = c + 1)
                for (k = 0; k < nz; k = k + 1) begin
                    v = rd_buf[NRD + rk];
                    if (v !== mm_pattern(rk))
                        mismatch(j, "mm-w", -1, c * nz + k, sx({{(16-W){1'b0}}, mm_pattern(rk)}),
                                 sx({{(16-W){1'b0}}, v}));
                    rk = rk + 1;
                end
            for (r = 0; r < JN[(j-1)*32 +: 32]; r = r + 1) begin
                v = rd_buf[NRD + rk];
                if (v !== mm_pattern(rk))
                    mismatch(j, "mm-b", -1, r, sx({{(16-W){1'b0}}, mm_pattern(rk)}), sx({{(16-W){1'b0}}, v}));
                rk = rk + 1;
            end
        end
        end
        // from sample 4 on: the input port's register and FIFO take four words ahead of the pipeline, so with one
        // beat per sample the first four samples enter as fast as the port allows; every later beat waits for a pop
        if (NSAMP >= 6) begin
            cps = (t_start[NSAMP-1] - t_start[4]) / (NSAMP - 5);
            $display("clocks per sample (steady state): %0d, plan %0d%0s%0s", cps, SLOTS * CYCLE,
                     (SEQ != 0) ? " (sequential: a flush after every sample)" : "",
                     (STALLS != 0) ? " (with stalls)" : "");
            if (STALLS == 0 && cps != SLOTS * CYCLE) begin
                $display("MISMATCH clocks per sample: expected %0d actual %0d", SLOTS * CYCLE, cps);
                errors = errors + 1;
            end
        end
        $display("%0d samples, %0d result beats, %0d weights, %0d biases compared (and written through the memory port); %0d mismatches; %0d clocks simulated",
                 NSAMP, NSAMP * NBO, no_rb ? 0 : TOTAL_W, no_rb ? 0 : TOTAL_B, errors, clk_n);
        if (errors != 0) begin
            $display("FAIL");
            $fatal(1, "%0d mismatches", errors);
        end
        $display("PASS");
        $finish;
    end
endmodule
`default_nettype wire
