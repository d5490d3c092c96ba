// ecp5_arith_map.v: the FPGA flow's mapping of Yosys's $alu cells with a constant carry input to ECP5 carry chains
// (verify/fpga.py runs it just before synth_ecp5's own map_gates step; any other $alu goes to Yosys's map).
//
// Yosys's ecp5/arith_map.v connects a constant carry input to the chain's first CIN, and nextpnr then puts a
// whole extra CCU2C ("feed-in") in front of the chain to make that carry. Here the chain starts one half earlier
// instead: half 0 has a LUT of constant 0 (the propagate), so its carry out is its generate, the constant
// INIT0[0] read with A0 = B0 = 0 (D0 = 1 selects INIT0[15:8] = 0 for the LUT itself), whatever the carry-in; the
// chain's CIN stays unconnected and nextpnr adds nothing. Half h >= 1 is bit h - 1 with the same LUT contents as
// Yosys's map (propagate A ^ B ^ BI, generate A). For an odd width this saves the feed-in cell; for an even one
// it costs the same.
(* techmap_celltype = "$alu" *)
module _90_sg_ecp5_alu_constci (A, B, CI, BI, X, Y, CO);
    parameter A_SIGNED = 0;
    parameter B_SIGNED = 0;
    parameter A_WIDTH = 1;
    parameter B_WIDTH = 1;
    parameter Y_WIDTH = 1;
    parameter _TECHMAP_CONSTMSK_CI_ = 0;
    parameter _TECHMAP_CONSTVAL_CI_ = 0;

    (* force_downto *)
    input [A_WIDTH-1:0] A;
    (* force_downto *)
    input [B_WIDTH-1:0] B;
    (* force_downto *)
    output [Y_WIDTH-1:0] X, Y;
    input CI, BI;
    (* force_downto *)
    output [Y_WIDTH-1:0] CO;

    // (short sums stay LUTs, as in Yosys's map; a carry input that is a signal goes to Yosys's map)
    wire _TECHMAP_FAIL_ = Y_WIDTH <= 4 || _TECHMAP_CONSTMSK_CI_ != 1;

    (* force_downto *)
    wire [Y_WIDTH-1:0] A_buf, B_buf;
    \$pos #(.A_SIGNED(A_SIGNED), .A_WIDTH(A_WIDTH), .Y_WIDTH(Y_WIDTH)) A_conv (.A(A), .Y(A_buf));
    \$pos #(.A_SIGNED(B_SIGNED), .A_WIDTH(B_WIDTH), .Y_WIDTH(Y_WIDTH)) B_conv (.A(B), .Y(B_buf));

    localparam integer NC = (Y_WIDTH + 2) / 2;  // CCU2C cells for Y_WIDTH + 1 halves
    localparam integer H = 2 * NC;              // halves, the last one unused when Y_WIDTH is even
    (* force_downto *)
    wire [H-1:0] AA = {A_buf, 1'b0};
    (* force_downto *)
    wire [H-1:0] BX = {B_buf, 1'b0};
    (* force_downto *)
    wire [H-1:0] BB = BI ? ~BX : BX;
    (* force_downto *)
    wire [H-1:0] S;
    (* force_downto *)
    wire [NC-1:0] FCO;
    // carry into half h (h >= 1): the carry out of half h - 1
    (* force_downto *)
    wire [H:0] C;

    localparam [15:0] SUM = 16'b1001011010101010;
    localparam [15:0] START = _TECHMAP_CONSTVAL_CI_ ? 16'h0001 : 16'h0000;

    genvar i;
    generate
        for (i = 0; i < NC; i = i + 1) begin : slice
            if (i == 0) begin : g_start
                CCU2C #(.INIT0(START), .INIT1(SUM), .INJECT1_0("NO"), .INJECT1_1("NO")) ccu2c_i (
                    .CIN(),
                    .A0(1'b0), .B0(1'b0), .C0(1'b0), .D0(1'b1),
                    .A1(AA[1]), .B1(BX[1]), .C1(BI), .D1(1'b1),
                    .S0(S[0]), .S1(S[1]), .COUT(FCO[0]));
            end else begin : g_next
                CCU2C #(.INIT0(SUM), .INIT1(SUM), .INJECT1_0("NO"), .INJECT1_1("NO")) ccu2c_i (
                    .CIN(FCO[i-1]),
                    .A0(AA[2*i]), .B0(BX[2*i]), .C0(BI), .D0(1'b1),
                    .A1(AA[2*i+1]), .B1(BX[2*i+1]), .C1(BI), .D1(1'b1),
                    .S0(S[2*i]), .S1(S[2*i+1]), .COUT(FCO[i]));
            end
            // the carry out of each half: of the second half from the chain, of the first by the same logic as
            // Yosys's map (used only where a comparison reads CO)
            assign C[2*i+1] = (i == 0) ? _TECHMAP_CONSTVAL_CI_ : (AA[2*i] && BB[2*i]) || (C[2*i] && (AA[2*i] || BB[2*i]));
            assign C[2*i+2] = FCO[i];
        end
    endgenerate
    assign C[0] = 1'b0;  // (half 0 has no carry input)

    assign Y = S[Y_WIDTH:1];
    assign CO = C[Y_WIDTH+1:2];
    assign X = AA[Y_WIDTH:1] ^ BB[Y_WIDTH:1];
endmodule
