`default_nettype none
// DP16KD: simulation model for post-synthesis simulation of synth_ecp5 netlists. The DP16KD in Yosys 0.23's
// ecp5/cells_sim.v declares the ports and parameters only (no behaviour), so verify/fpga.py uses that file without
// it and this model instead. It models what synth_ecp5 emits for sparsegen's memories: port widths 9, 18 and 36
// (36 = Yosys's PDPW16KD mapping: port A writes DIB:DIA, port B reads DOB:DOA), output registers (REGMODE "OUTREG":
// the read latch, enabled by CE, then a register enabled by OCE, as verify/fpga.py's pass sets them) on ports of
// 18 bits or fewer, chip selects unused, byte enables on the low address bits (18: AD1..0, 36: AD3..0), read-before-write
// or write-through per WRITEMODE. Contents: 2048 9-bit units u, unit u = bits [u*9 +: 9] of the INITVAL words taken
// as 1024 18-bit words (INITVAL_xx holds 16 words, each in 20 bits), which is the layout Yosys writes. Anything else
// stops the simulation with $fatal. This model checks that the netlist is consistent with Yosys's own mapping, not
// that the device behaves so: that part rests on nextpnr and prjtrellis.
module DP16KD (
    input  wire DIA17, DIA16, DIA15, DIA14, DIA13, DIA12, DIA11, DIA10, DIA9, DIA8, DIA7, DIA6, DIA5, DIA4, DIA3, DIA2, DIA1, DIA0,
    input  wire ADA13, ADA12, ADA11, ADA10, ADA9, ADA8, ADA7, ADA6, ADA5, ADA4, ADA3, ADA2, ADA1, ADA0,
    input  wire CEA, OCEA, CLKA, WEA, RSTA,
    input  wire CSA2, CSA1, CSA0,
    output wire DOA17, DOA16, DOA15, DOA14, DOA13, DOA12, DOA11, DOA10, DOA9, DOA8, DOA7, DOA6, DOA5, DOA4, DOA3, DOA2, DOA1, DOA0,
    input  wire DIB17, DIB16, DIB15, DIB14, DIB13, DIB12, DIB11, DIB10, DIB9, DIB8, DIB7, DIB6, DIB5, DIB4, DIB3, DIB2, DIB1, DIB0,
    input  wire ADB13, ADB12, ADB11, ADB10, ADB9, ADB8, ADB7, ADB6, ADB5, ADB4, ADB3, ADB2, ADB1, ADB0,
    input  wire CEB, OCEB, CLKB, WEB, RSTB,
    input  wire CSB2, CSB1, CSB0,
    output wire DOB17, DOB16, DOB15, DOB14, DOB13, DOB12, DOB11, DOB10, DOB9, DOB8, DOB7, DOB6, DOB5, DOB4, DOB3, DOB2, DOB1, DOB0
);
    parameter integer DATA_WIDTH_A = 18;
    parameter integer DATA_WIDTH_B = 18;
    parameter REGMODE_A = "NOREG";
    parameter REGMODE_B = "NOREG";
    parameter RESETMODE = "SYNC";
    parameter ASYNC_RESET_RELEASE = "SYNC";
    parameter CSDECODE_A = "0b000";
    parameter CSDECODE_B = "0b000";
    parameter WRITEMODE_A = "NORMAL";
    parameter WRITEMODE_B = "NORMAL";
    parameter CLKAMUX = "CLKA";
    parameter CLKBMUX = "CLKB";
    parameter GSR = "ENABLED";
    parameter INIT_DATA = "STATIC";
    parameter WID = 0;
    parameter INITVAL_00 = 320'h0;
    parameter INITVAL_01 = 320'h0;
    parameter INITVAL_02 = 320'h0;
    parameter INITVAL_03 = 320'h0;
    parameter INITVAL_04 = 320'h0;
    parameter INITVAL_05 = 320'h0;
    parameter INITVAL_06 = 320'h0;
    parameter INITVAL_07 = 320'h0;
    parameter INITVAL_08 = 320'h0;
    parameter INITVAL_09 = 320'h0;
    parameter INITVAL_0A = 320'h0;
    parameter INITVAL_0B = 320'h0;
    parameter INITVAL_0C = 320'h0;
    parameter INITVAL_0D = 320'h0;
    parameter INITVAL_0E = 320'h0;
    parameter INITVAL_0F = 320'h0;
    parameter INITVAL_10 = 320'h0;
    parameter INITVAL_11 = 320'h0;
    parameter INITVAL_12 = 320'h0;
    parameter INITVAL_13 = 320'h0;
    parameter INITVAL_14 = 320'h0;
    parameter INITVAL_15 = 320'h0;
    parameter INITVAL_16 = 320'h0;
    parameter INITVAL_17 = 320'h0;
    parameter INITVAL_18 = 320'h0;
    parameter INITVAL_19 = 320'h0;
    parameter INITVAL_1A = 320'h0;
    parameter INITVAL_1B = 320'h0;
    parameter INITVAL_1C = 320'h0;
    parameter INITVAL_1D = 320'h0;
    parameter INITVAL_1E = 320'h0;
    parameter INITVAL_1F = 320'h0;
    parameter INITVAL_20 = 320'h0;
    parameter INITVAL_21 = 320'h0;
    parameter INITVAL_22 = 320'h0;
    parameter INITVAL_23 = 320'h0;
    parameter INITVAL_24 = 320'h0;
    parameter INITVAL_25 = 320'h0;
    parameter INITVAL_26 = 320'h0;
    parameter INITVAL_27 = 320'h0;
    parameter INITVAL_28 = 320'h0;
    parameter INITVAL_29 = 320'h0;
    parameter INITVAL_2A = 320'h0;
    parameter INITVAL_2B = 320'h0;
    parameter INITVAL_2C = 320'h0;
    parameter INITVAL_2D = 320'h0;
    parameter INITVAL_2E = 320'h0;
    parameter INITVAL_2F = 320'h0;
    parameter INITVAL_30 = 320'h0;
    parameter INITVAL_31 = 320'h0;
    parameter INITVAL_32 = 320'h0;
    parameter INITVAL_33 = 320'h0;
    parameter INITVAL_34 = 320'h0;
    parameter INITVAL_35 = 320'h0;
    parameter INITVAL_36 = 320'h0;
    parameter INITVAL_37 = 320'h0;
    parameter INITVAL_38 = 320'h0;
    parameter INITVAL_39 = 320'h0;
    parameter INITVAL_3A = 320'h0;
    parameter INITVAL_3B = 320'h0;
    parameter INITVAL_3C = 320'h0;
    parameter INITVAL_3D = 320'h0;
    parameter INITVAL_3E = 320'h0;
    parameter INITVAL_3F = 320'h0;

    wire [17:0] dia = {DIA17, DIA16, DIA15, DIA14, DIA13, DIA12, DIA11, DIA10, DIA9, DIA8, DIA7, DIA6, DIA5, DIA4, DIA3, DIA2, DIA1, DIA0};
    wire [17:0] dib = {DIB17, DIB16, DIB15, DIB14, DIB13, DIB12, DIB11, DIB10, DIB9, DIB8, DIB7, DIB6, DIB5, DIB4, DIB3, DIB2, DIB1, DIB0};
    wire [13:0] ada = {ADA13, ADA12, ADA11, ADA10, ADA9, ADA8, ADA7, ADA6, ADA5, ADA4, ADA3, ADA2, ADA1, ADA0};
    wire [13:0] adb = {ADB13, ADB12, ADB11, ADB10, ADB9, ADB8, ADB7, ADB6, ADB5, ADB4, ADB3, ADB2, ADB1, ADB0};
    reg  [17:0] doa, dob, doa_q, dob_q;
    assign {DOA17, DOA16, DOA15, DOA14, DOA13, DOA12, DOA11, DOA10, DOA9, DOA8, DOA7, DOA6, DOA5, DOA4, DOA3, DOA2, DOA1, DOA0} =
        (REGMODE_A == "OUTREG") ? doa_q : doa;
    assign {DOB17, DOB16, DOB15, DOB14, DOB13, DOB12, DOB11, DOB10, DOB9, DOB8, DOB7, DOB6, DOB5, DOB4, DOB3, DOB2, DOB1, DOB0} =
        (REGMODE_B == "OUTREG") ? dob_q : dob;
    // output registers (REGMODE OUTREG): the read latch's data, enabled by OCE
    always @(posedge CLKA) if (OCEA) doa_q <= RSTA ? 18'd0 : doa;
    always @(posedge CLKB) if (OCEB) dob_q <= RSTB ? 18'd0 : dob;

    reg [8:0] u [0:2047];
    reg [20479:0] iv;
    integer k;
    initial begin
        if ((DATA_WIDTH_A != 1 && DATA_WIDTH_A != 2 && DATA_WIDTH_A != 4 && DATA_WIDTH_A != 9 && DATA_WIDTH_A != 18 &&
             DATA_WIDTH_A != 36) ||
            (DATA_WIDTH_B != 1 && DATA_WIDTH_B != 2 && DATA_WIDTH_B != 4 && DATA_WIDTH_B != 9 && DATA_WIDTH_B != 18 &&
             DATA_WIDTH_B != 36) ||
            (REGMODE_A != "NOREG" && !(REGMODE_A == "OUTREG" && DATA_WIDTH_A <= 18)) ||
            (REGMODE_B != "NOREG" && !(REGMODE_B == "OUTREG" && DATA_WIDTH_B <= 18)) ||
            CLKAMUX != "CLKA" || CLKBMUX != "CLKB") begin
            $display("DP16KD model: configuration not modelled (widths %0d/%0d, %0s/%0s, %0s/%0s)", DATA_WIDTH_A,
                     DATA_WIDTH_B, REGMODE_A, REGMODE_B, CLKAMUX, CLKBMUX);
            $fatal(1);
        end
        iv = {INITVAL_3F, INITVAL_3E, INITVAL_3D, INITVAL_3C, INITVAL_3B, INITVAL_3A, INITVAL_39, INITVAL_38, INITVAL_37, INITVAL_36, INITVAL_35, INITVAL_34, INITVAL_33, INITVAL_32, INITVAL_31, INITVAL_30, INITVAL_2F, INITVAL_2E, INITVAL_2D, INITVAL_2C, INITVAL_2B, INITVAL_2A, INITVAL_29, INITVAL_28, INITVAL_27, INITVAL_26, INITVAL_25, INITVAL_24, INITVAL_23, INITVAL_22, INITVAL_21, INITVAL_20, INITVAL_1F, INITVAL_1E, INITVAL_1D, INITVAL_1C, INITVAL_1B, INITVAL_1A, INITVAL_19, INITVAL_18, INITVAL_17, INITVAL_16, INITVAL_15, INITVAL_14, INITVAL_13, INITVAL_12, INITVAL_11, INITVAL_10, INITVAL_0F, INITVAL_0E, INITVAL_0D, INITVAL_0C, INITVAL_0B, INITVAL_0A, INITVAL_09, INITVAL_08, INITVAL_07, INITVAL_06, INITVAL_05, INITVAL_04, INITVAL_03, INITVAL_02, INITVAL_01, INITVAL_00};
        for (k = 0; k < 1024; k = k + 1) begin
            u[2 * k]     = iv[k * 20 +: 9];
            u[2 * k + 1] = iv[k * 20 + 9 +: 9];
        end
        doa = 18'd0;
        dob = 18'd0;
        doa_q = 18'd0;
        dob_q = 18'd0;
    end

    // narrow ports (1, 2, 4 bits): the word at address ad of width w
    function [3:0] nrd;
        input [13:0] ad;
        input integer w;
        reg [8:0] unit;
        integer per, a;
        begin
            per = 8 / w;
            a = ad / w;
            unit = u[a / per];
            nrd = (unit >> ((a % per) * w)) & ((1 << w) - 1);
        end
    endfunction
    task nwr;
        input [13:0] ad;
        input integer w;
        input [3:0] v;
        integer per, a, b;
        reg [8:0] unit;
        begin
            per = 8 / w;
            a = ad / w;
            unit = u[a / per];
            for (b = 0; b < w; b = b + 1) unit[(a % per) * w + b] = v[b];
            u[a / per] <= unit;
        end
    endtask

    // port A: write (36 bits when DATA_WIDTH_A is 36, with DIB as the upper half), read
    wire [35:0] wda = {dib, dia};
    always @(posedge CLKA) if (CEA) begin
        if (DATA_WIDTH_A < 9) begin
            if (WEA) nwr(ada, DATA_WIDTH_A, wda[3:0]);
            doa[3:0] <= (WEA && WRITEMODE_A != "READBEFOREWRITE") ? wda[3:0] : nrd(ada, DATA_WIDTH_A);
        end else if (DATA_WIDTH_A == 9) begin
            if (WEA) u[ada[13:3]] <= wda[8:0];
            doa[8:0] <= (WEA && WRITEMODE_A != "READBEFOREWRITE") ? wda[8:0] : u[ada[13:3]];
        end else if (DATA_WIDTH_A == 18) begin
            if (WEA && ada[0]) u[{ada[13:4], 1'b0}] <= wda[8:0];
            if (WEA && ada[1]) u[{ada[13:4], 1'b1}] <= wda[17:9];
            doa <= (WEA && WRITEMODE_A != "READBEFOREWRITE") ? wda[17:0] : {u[{ada[13:4], 1'b1}], u[{ada[13:4], 1'b0}]};
        end else begin
            if (WEA && ada[0]) u[{ada[13:5], 2'd0}] <= wda[8:0];
            if (WEA && ada[1]) u[{ada[13:5], 2'd1}] <= wda[17:9];
            if (WEA && ada[2]) u[{ada[13:5], 2'd2}] <= wda[26:18];
            if (WEA && ada[3]) u[{ada[13:5], 2'd3}] <= wda[35:27];
        end
        if (RSTA) doa <= 18'd0;
    end

    // port B: read (36 bits when DATA_WIDTH_B is 36: DOB:DOA), write
    always @(posedge CLKB) if (CEB) begin
        if (DATA_WIDTH_B < 9) begin
            if (WEB) nwr(adb, DATA_WIDTH_B, dib[3:0]);
            dob[3:0] <= (WEB && WRITEMODE_B != "READBEFOREWRITE") ? dib[3:0] : nrd(adb, DATA_WIDTH_B);
        end else if (DATA_WIDTH_B == 9) begin
            if (WEB) u[adb[13:3]] <= dib[8:0];
            dob[8:0] <= (WEB && WRITEMODE_B != "READBEFOREWRITE") ? dib[8:0] : u[adb[13:3]];
        end else if (DATA_WIDTH_B == 18) begin
            if (WEB && adb[0]) u[{adb[13:4], 1'b0}] <= dib[8:0];
            if (WEB && adb[1]) u[{adb[13:4], 1'b1}] <= dib[17:9];
            dob <= (WEB && WRITEMODE_B != "READBEFOREWRITE") ? dib : {u[{adb[13:4], 1'b1}], u[{adb[13:4], 1'b0}]};
        end else begin
            if (WEB) begin
                $display("DP16KD model: a write on a 36-bit read port is not modelled");
                $fatal(1);
            end
            {dob, doa} <= {u[{adb[13:5], 2'd3}], u[{adb[13:5], 2'd2}], u[{adb[13:5], 2'd1}], u[{adb[13:5], 2'd0}]};
        end
        if (RSTB) dob <= 18'd0;
    end
endmodule
`default_nettype wire
