`default_nettype none
// sg_fifo2: a small FIFO (skid buffer: DEPTH = 2, 3 or 4 entries) between a stream port and the pipeline, outside the
// clock enable: it takes a word whenever it is not full (or is full and gives one in the same clock) and gives one
// whenever it is not empty, whatever the pipeline does. The head is a register (no multiplexer on the output);
// count is the number of words held. The input port uses three entries, the result port four: sg_ctrl decides the
// clock enable two clocks ahead from registers only, counting no word the ports hand in or take in this clock or
// the next, and a stream at one word per clock needs that slack (docs/hardware.md section 2).
// AHEAD = 1: the pop of the next clock is known one clock ahead (pop_next; the input FIFO's pop is sg_ctrl's
// in_wr, a register), so the data registers' enables and multiplexer selects are registers too, computed from the
// next count and pop_next: the data bits (1,024 on the anchor network's input, spread over the device beside
// layer 0's banks) are loaded from registers, not from logic on the count (the routed anchor network's slowest
// path at 79.4 MHz: the count, a LUT, 7 ns of routing to a far data bit's clock enable).
module sg_fifo2 #(
    parameter integer WIDTH = 8,
    parameter integer DEPTH = 2,
    parameter integer AHEAD = 0
) (
    input  wire             clk,
    input  wire             rst,
    input  wire             push,    // only when count != DEPTH, or together with pop
    input  wire [WIDTH-1:0] din,
    input  wire             pop,     // only when count != 0
    input  wire             pop_next, // AHEAD = 1: pop in the next clock (0 in the clock after rst); else unused
    output wire [WIDTH-1:0] dout,    // the head (valid when count != 0)
    output reg  [2:0]       count
);
    initial begin
        if (WIDTH < 1 || (DEPTH < 2 || DEPTH > 4) || (AHEAD != 0 && AHEAD != 1)) begin
            $display("sg_fifo2: illegal WIDTH=%0d DEPTH=%0d AHEAD=%0d", WIDTH, DEPTH, AHEAD);
            $finish;
        end
    end
    // entry i (bits i*WIDTH ..) holds the (i+1)-th word when count > i; entry 0 is the head
    reg [DEPTH*WIDTH-1:0] e;
    assign dout = e[WIDTH-1:0];
    wire [2:0] count_d = count + {2'b0, push} - {2'b0, pop};
    always @(posedge clk) begin
        if (rst) count <= 3'd0;
        else count <= count_d;
    end
    // entry i takes din (ld[i]) or the next entry's word (en[i] && !ld[i]). The incoming word goes to entry count,
    // or count - 1 when the head leaves in the same clock. It is taken whenever the FIFO has room (room, not
    // push): that entry holds no word, so a word that is not pushed changes nothing, and the enables depend on the
    // count and the pop only, not on the port's valid.
    wire [DEPTH-1:0] ld, en;
    genvar g;
    generate
        if (AHEAD != 0) begin : g_ahead
            // the same rule applied to the next clock's count and pop; after rst: count 0, no pop
            wire [2:0] wpos_d = pop_next ? count_d - 3'd1 : count_d;
            wire       room_d = (count_d != DEPTH[2:0]) || pop_next;
            reg [DEPTH-1:0] ld_q, en_q;
            for (g = 0; g < DEPTH; g = g + 1) begin : g_e
                localparam [2:0] GI = g;
                localparam       FIRST = (g == 0) ? 1'b1 : 1'b0, SHIFTS = (g + 1 < DEPTH) ? 1'b1 : 1'b0;
                always @(posedge clk) begin
                    if (rst) begin
                        ld_q[g] <= FIRST;
                        en_q[g] <= FIRST;
                    end else begin
                        ld_q[g] <= room_d && wpos_d == GI;
                        en_q[g] <= (room_d && wpos_d == GI) || (pop_next && SHIFTS);
                    end
                end
            end
            assign ld = ld_q;
            assign en = en_q;
        end else begin : g_now
            wire [2:0] wpos = pop ? count - 3'd1 : count;
            wire       room = (count != DEPTH[2:0]) || pop;
            for (g = 0; g < DEPTH; g = g + 1) begin : g_e
                localparam [2:0] GI = g;
                localparam       SHIFTS = (g + 1 < DEPTH) ? 1'b1 : 1'b0;
                assign ld[g] = room && wpos == GI;
                assign en[g] = (room && wpos == GI) || (pop && SHIFTS);
            end
        end
    endgenerate
    integer i;
    always @(posedge clk) begin
        for (i = 0; i < DEPTH; i = i + 1) begin
            if (en[i]) e[i*WIDTH +: WIDTH] <= ld[i] ? din : e[((i + 1 < DEPTH) ? i + 1 : i)*WIDTH +: WIDTH];
        end
    end
`ifndef SYNTHESIS
    // AHEAD = 1: pop_next was the pop of this clock
    reg pop_q = 1'b0;
    always @(posedge clk) pop_q <= !rst && pop_next;
    always @(posedge clk) begin
        if (AHEAD != 0 && !rst && pop !== pop_q) begin
            $display("sg_fifo2: pop %b, but pop_next said %b in the clock before", pop, pop_q);
            $fatal(1, "sg_fifo2 pop_next");
        end
    end
    always @(posedge clk) begin
        if (!rst && ((push && !pop && count == DEPTH[2:0]) || (pop && count == 3'd0))) begin
            $display("sg_fifo2: %0s", (pop && count == 3'd0) ? "pop when empty" : "push when full");
            $fatal(1, "sg_fifo2");
        end
    end
`endif
endmodule
`default_nettype wire
