`default_nettype none
// RAMB18E1 and RAMB36E1: simulation models for post-synthesis simulation of synth_xilinx netlists. Yosys 0.23's
// xilinx/cells_sim.v declares these two cells with ports, parameters and timing only (no behaviour: the outputs
// float, which showed as x at the DSP48E1 outputs fed from them), so verify/fpga.py uses that file without them
// and these models instead. They model what synth_xilinx emits (brams_xc6v_map.v): RAM_MODE "TDP" (port widths
// 1..18 for RAMB18E1, 1..36 for RAMB36E1) and "SDP" (read on port A, write on port B, widths up to 36 / 72 with
// the A and B buses together), no output registers (DOA_REG = DOB_REG = 0), READ_FIRST or NO_CHANGE on a port
// that reads and writes, reads before writes between the ports, byte write enables (9-bit units), RSTRAM to
// no output reset (RSTRAM stops the simulation). Contents: INIT_xx hold the data bits (word n of d data bits at bits n*d), INITP_xx the parity
// bits, the Xilinx layout that Yosys writes. Anything else stops the simulation with $fatal. Like the ECP5 models,
// this checks the netlist against Yosys's own mapping conventions, not the silicon (Vivado's unisims are not
// open). Written by a script from the parameter lists; edit both modules alike.
module RAMB18E1 (
    input  wire CLKARDCLK, CLKBWRCLK, ENARDEN, ENBWREN, REGCEAREGCE, REGCEB,
    input  wire RSTRAMARSTRAM, RSTRAMB, RSTREGARSTREG, RSTREGB,
    input  wire [13:0] ADDRARDADDR, ADDRBWRADDR,
    input  wire [15:0] DIADI, DIBDI,
    input  wire [1:0] DIPADIP, DIPBDIP,
    input  wire [1:0] WEA,
    input  wire [3:0] WEBWE,
    output reg  [15:0] DOADO, DOBDO,
    output reg  [1:0] DOPADOP, DOPBDOP
);
    parameter integer DOA_REG = 0;
    parameter integer DOB_REG = 0;
    parameter RAM_MODE = "TDP";
    parameter integer READ_WIDTH_A = 0;
    parameter integer READ_WIDTH_B = 0;
    parameter integer WRITE_WIDTH_A = 0;
    parameter integer WRITE_WIDTH_B = 0;
    parameter WRITE_MODE_A = "WRITE_FIRST";
    parameter WRITE_MODE_B = "WRITE_FIRST";
    parameter INIT_A = 18'h0;
    parameter INIT_B = 18'h0;
    parameter SRVAL_A = 18'h0;
    parameter SRVAL_B = 18'h0;
    parameter RDADDR_COLLISION_HWCONFIG = "DELAYED_WRITE";
    parameter RSTREG_PRIORITY_A = "RSTREG";
    parameter RSTREG_PRIORITY_B = "RSTREG";
    parameter SIM_COLLISION_CHECK = "ALL";
    parameter SIM_DEVICE = "7SERIES";
    parameter INIT_FILE = "NONE";
    parameter IS_CLKARDCLK_INVERTED = 1'b0;
    parameter IS_CLKBWRCLK_INVERTED = 1'b0;
    parameter IS_ENARDEN_INVERTED = 1'b0;
    parameter IS_ENBWREN_INVERTED = 1'b0;
    parameter IS_RSTRAMARSTRAM_INVERTED = 1'b0;
    parameter IS_RSTRAMB_INVERTED = 1'b0;
    parameter IS_RSTREGARSTREG_INVERTED = 1'b0;
    parameter IS_RSTREGB_INVERTED = 1'b0;
    parameter [255:0] INIT_00 = 256'h0;
    parameter [255:0] INIT_01 = 256'h0;
    parameter [255:0] INIT_02 = 256'h0;
    parameter [255:0] INIT_03 = 256'h0;
    parameter [255:0] INIT_04 = 256'h0;
    parameter [255:0] INIT_05 = 256'h0;
    parameter [255:0] INIT_06 = 256'h0;
    parameter [255:0] INIT_07 = 256'h0;
    parameter [255:0] INIT_08 = 256'h0;
    parameter [255:0] INIT_09 = 256'h0;
    parameter [255:0] INIT_0A = 256'h0;
    parameter [255:0] INIT_0B = 256'h0;
    parameter [255:0] INIT_0C = 256'h0;
    parameter [255:0] INIT_0D = 256'h0;
    parameter [255:0] INIT_0E = 256'h0;
    parameter [255:0] INIT_0F = 256'h0;
    parameter [255:0] INIT_10 = 256'h0;
    parameter [255:0] INIT_11 = 256'h0;
    parameter [255:0] INIT_12 = 256'h0;
    parameter [255:0] INIT_13 = 256'h0;
    parameter [255:0] INIT_14 = 256'h0;
    parameter [255:0] INIT_15 = 256'h0;
    parameter [255:0] INIT_16 = 256'h0;
    parameter [255:0] INIT_17 = 256'h0;
    parameter [255:0] INIT_18 = 256'h0;
    parameter [255:0] INIT_19 = 256'h0;
    parameter [255:0] INIT_1A = 256'h0;
    parameter [255:0] INIT_1B = 256'h0;
    parameter [255:0] INIT_1C = 256'h0;
    parameter [255:0] INIT_1D = 256'h0;
    parameter [255:0] INIT_1E = 256'h0;
    parameter [255:0] INIT_1F = 256'h0;
    parameter [255:0] INIT_20 = 256'h0;
    parameter [255:0] INIT_21 = 256'h0;
    parameter [255:0] INIT_22 = 256'h0;
    parameter [255:0] INIT_23 = 256'h0;
    parameter [255:0] INIT_24 = 256'h0;
    parameter [255:0] INIT_25 = 256'h0;
    parameter [255:0] INIT_26 = 256'h0;
    parameter [255:0] INIT_27 = 256'h0;
    parameter [255:0] INIT_28 = 256'h0;
    parameter [255:0] INIT_29 = 256'h0;
    parameter [255:0] INIT_2A = 256'h0;
    parameter [255:0] INIT_2B = 256'h0;
    parameter [255:0] INIT_2C = 256'h0;
    parameter [255:0] INIT_2D = 256'h0;
    parameter [255:0] INIT_2E = 256'h0;
    parameter [255:0] INIT_2F = 256'h0;
    parameter [255:0] INIT_30 = 256'h0;
    parameter [255:0] INIT_31 = 256'h0;
    parameter [255:0] INIT_32 = 256'h0;
    parameter [255:0] INIT_33 = 256'h0;
    parameter [255:0] INIT_34 = 256'h0;
    parameter [255:0] INIT_35 = 256'h0;
    parameter [255:0] INIT_36 = 256'h0;
    parameter [255:0] INIT_37 = 256'h0;
    parameter [255:0] INIT_38 = 256'h0;
    parameter [255:0] INIT_39 = 256'h0;
    parameter [255:0] INIT_3A = 256'h0;
    parameter [255:0] INIT_3B = 256'h0;
    parameter [255:0] INIT_3C = 256'h0;
    parameter [255:0] INIT_3D = 256'h0;
    parameter [255:0] INIT_3E = 256'h0;
    parameter [255:0] INIT_3F = 256'h0;
    parameter [255:0] INITP_00 = 256'h0;
    parameter [255:0] INITP_01 = 256'h0;
    parameter [255:0] INITP_02 = 256'h0;
    parameter [255:0] INITP_03 = 256'h0;
    parameter [255:0] INITP_04 = 256'h0;
    parameter [255:0] INITP_05 = 256'h0;
    parameter [255:0] INITP_06 = 256'h0;
    parameter [255:0] INITP_07 = 256'h0;
    localparam SDP = RAM_MODE == "SDP";
    reg mem [0:16383];
    reg par [0:2047];
    integer i;
    initial begin
        if (DOA_REG != 0 || DOB_REG != 0 || (RAM_MODE != "TDP" && RAM_MODE != "SDP") ||
            !ok_width(READ_WIDTH_A) || !ok_width(READ_WIDTH_B) || !ok_width(WRITE_WIDTH_A) || !ok_width(WRITE_WIDTH_B) ||
            (SDP && (READ_WIDTH_B != 0 || WRITE_WIDTH_A != 0)) ||
            (!SDP && (READ_WIDTH_A > 18 || READ_WIDTH_B > 18 || WRITE_WIDTH_A > 18 || WRITE_WIDTH_B > 18)) ||
            !ok_mode(WRITE_MODE_A) || !ok_mode(WRITE_MODE_B) || IS_CLKARDCLK_INVERTED || IS_CLKBWRCLK_INVERTED ||
            IS_ENARDEN_INVERTED || IS_ENBWREN_INVERTED || IS_RSTRAMARSTRAM_INVERTED || IS_RSTRAMB_INVERTED)
            $fatal(1, "RAMB18E1 model (verify/fpga_sim/xc7_bram.v): unsupported configuration RAM_MODE=%0s READ_WIDTH_A=%0d READ_WIDTH_B=%0d WRITE_WIDTH_A=%0d WRITE_WIDTH_B=%0d DOA_REG=%0d DOB_REG=%0d",
                   RAM_MODE, READ_WIDTH_A, READ_WIDTH_B, WRITE_WIDTH_A, WRITE_WIDTH_B, DOA_REG, DOB_REG);
        for (i = 0; i < 256; i = i + 1) mem[0 + i] = INIT_00[i];
        for (i = 0; i < 256; i = i + 1) mem[256 + i] = INIT_01[i];
        for (i = 0; i < 256; i = i + 1) mem[512 + i] = INIT_02[i];
        for (i = 0; i < 256; i = i + 1) mem[768 + i] = INIT_03[i];
        for (i = 0; i < 256; i = i + 1) mem[1024 + i] = INIT_04[i];
        for (i = 0; i < 256; i = i + 1) mem[1280 + i] = INIT_05[i];
        for (i = 0; i < 256; i = i + 1) mem[1536 + i] = INIT_06[i];
        for (i = 0; i < 256; i = i + 1) mem[1792 + i] = INIT_07[i];
        for (i = 0; i < 256; i = i + 1) mem[2048 + i] = INIT_08[i];
        for (i = 0; i < 256; i = i + 1) mem[2304 + i] = INIT_09[i];
        for (i = 0; i < 256; i = i + 1) mem[2560 + i] = INIT_0A[i];
        for (i = 0; i < 256; i = i + 1) mem[2816 + i] = INIT_0B[i];
        for (i = 0; i < 256; i = i + 1) mem[3072 + i] = INIT_0C[i];
        for (i = 0; i < 256; i = i + 1) mem[3328 + i] = INIT_0D[i];
        for (i = 0; i < 256; i = i + 1) mem[3584 + i] = INIT_0E[i];
        for (i = 0; i < 256; i = i + 1) mem[3840 + i] = INIT_0F[i];
        for (i = 0; i < 256; i = i + 1) mem[4096 + i] = INIT_10[i];
        for (i = 0; i < 256; i = i + 1) mem[4352 + i] = INIT_11[i];
        for (i = 0; i < 256; i = i + 1) mem[4608 + i] = INIT_12[i];
        for (i = 0; i < 256; i = i + 1) mem[4864 + i] = INIT_13[i];
        for (i = 0; i < 256; i = i + 1) mem[5120 + i] = INIT_14[i];
        for (i = 0; i < 256; i = i + 1) mem[5376 + i] = INIT_15[i];
        for (i = 0; i < 256; i = i + 1) mem[5632 + i] = INIT_16[i];
        for (i = 0; i < 256; i = i + 1) mem[5888 + i] = INIT_17[i];
        for (i = 0; i < 256; i = i + 1) mem[6144 + i] = INIT_18[i];
        for (i = 0; i < 256; i = i + 1) mem[6400 + i] = INIT_19[i];
        for (i = 0; i < 256; i = i + 1) mem[6656 + i] = INIT_1A[i];
        for (i = 0; i < 256; i = i + 1) mem[6912 + i] = INIT_1B[i];
        for (i = 0; i < 256; i = i + 1) mem[7168 + i] = INIT_1C[i];
        for (i = 0; i < 256; i = i + 1) mem[7424 + i] = INIT_1D[i];
        for (i = 0; i < 256; i = i + 1) mem[7680 + i] = INIT_1E[i];
        for (i = 0; i < 256; i = i + 1) mem[7936 + i] = INIT_1F[i];
        for (i = 0; i < 256; i = i + 1) mem[8192 + i] = INIT_20[i];
        for (i = 0; i < 256; i = i + 1) mem[8448 + i] = INIT_21[i];
        for (i = 0; i < 256; i = i + 1) mem[8704 + i] = INIT_22[i];
        for (i = 0; i < 256; i = i + 1) mem[8960 + i] = INIT_23[i];
        for (i = 0; i < 256; i = i + 1) mem[9216 + i] = INIT_24[i];
        for (i = 0; i < 256; i = i + 1) mem[9472 + i] = INIT_25[i];
        for (i = 0; i < 256; i = i + 1) mem[9728 + i] = INIT_26[i];
        for (i = 0; i < 256; i = i + 1) mem[9984 + i] = INIT_27[i];
        for (i = 0; i < 256; i = i + 1) mem[10240 + i] = INIT_28[i];
        for (i = 0; i < 256; i = i + 1) mem[10496 + i] = INIT_29[i];
        for (i = 0; i < 256; i = i + 1) mem[10752 + i] = INIT_2A[i];
        for (i = 0; i < 256; i = i + 1) mem[11008 + i] = INIT_2B[i];
        for (i = 0; i < 256; i = i + 1) mem[11264 + i] = INIT_2C[i];
        for (i = 0; i < 256; i = i + 1) mem[11520 + i] = INIT_2D[i];
        for (i = 0; i < 256; i = i + 1) mem[11776 + i] = INIT_2E[i];
        for (i = 0; i < 256; i = i + 1) mem[12032 + i] = INIT_2F[i];
        for (i = 0; i < 256; i = i + 1) mem[12288 + i] = INIT_30[i];
        for (i = 0; i < 256; i = i + 1) mem[12544 + i] = INIT_31[i];
        for (i = 0; i < 256; i = i + 1) mem[12800 + i] = INIT_32[i];
        for (i = 0; i < 256; i = i + 1) mem[13056 + i] = INIT_33[i];
        for (i = 0; i < 256; i = i + 1) mem[13312 + i] = INIT_34[i];
        for (i = 0; i < 256; i = i + 1) mem[13568 + i] = INIT_35[i];
        for (i = 0; i < 256; i = i + 1) mem[13824 + i] = INIT_36[i];
        for (i = 0; i < 256; i = i + 1) mem[14080 + i] = INIT_37[i];
        for (i = 0; i < 256; i = i + 1) mem[14336 + i] = INIT_38[i];
        for (i = 0; i < 256; i = i + 1) mem[14592 + i] = INIT_39[i];
        for (i = 0; i < 256; i = i + 1) mem[14848 + i] = INIT_3A[i];
        for (i = 0; i < 256; i = i + 1) mem[15104 + i] = INIT_3B[i];
        for (i = 0; i < 256; i = i + 1) mem[15360 + i] = INIT_3C[i];
        for (i = 0; i < 256; i = i + 1) mem[15616 + i] = INIT_3D[i];
        for (i = 0; i < 256; i = i + 1) mem[15872 + i] = INIT_3E[i];
        for (i = 0; i < 256; i = i + 1) mem[16128 + i] = INIT_3F[i];
        for (i = 0; i < 256; i = i + 1) par[0 + i] = INITP_00[i];
        for (i = 0; i < 256; i = i + 1) par[256 + i] = INITP_01[i];
        for (i = 0; i < 256; i = i + 1) par[512 + i] = INITP_02[i];
        for (i = 0; i < 256; i = i + 1) par[768 + i] = INITP_03[i];
        for (i = 0; i < 256; i = i + 1) par[1024 + i] = INITP_04[i];
        for (i = 0; i < 256; i = i + 1) par[1280 + i] = INITP_05[i];
        for (i = 0; i < 256; i = i + 1) par[1536 + i] = INITP_06[i];
        for (i = 0; i < 256; i = i + 1) par[1792 + i] = INITP_07[i];
        {DOPADOP, DOADO} = 0;
        {DOPBDOP, DOBDO} = 0;
    end
    function ok_width(input integer w);
        ok_width = w == 0 || w == 1 || w == 2 || w == 4 || w == 9 || w == 18 || w == 36;
    endfunction
    function ok_mode(input [8*11-1:0] m);
        ok_mode = m == "READ_FIRST" || m == "WRITE_FIRST" || m == "NO_CHANGE";
    endfunction
    // data and parity bits of a port of width w (1, 2, 4: no parity)
    function integer dwid(input integer w);
        dwid = w >= 9 ? w / 9 * 8 : w;
    endfunction
    function integer pwid(input integer w);
        pwid = w >= 9 ? w / 9 : 0;
    endfunction
    function integer lg(input integer x);
        begin
            lg = 0;
            while ((1 << lg) < x) lg = lg + 1;
        end
    endfunction
    // the word of width w at address ad: bit address ad[13:0] >> log2(data bits)
    // port A (TDP) or the read port (SDP, A and B output buses together)
    localparam integer RWA = SDP ? READ_WIDTH_A : READ_WIDTH_A, DWA = dwid(RWA), PWA = pwid(RWA);
    localparam integer WWA = SDP ? WRITE_WIDTH_B : WRITE_WIDTH_A, WDA = dwid(WWA), WPA = pwid(WWA);
    localparam integer RWB = READ_WIDTH_B, DWB = dwid(RWB), PWB = pwid(RWB);
    localparam integer WWB = WRITE_WIDTH_B, WDB = dwid(WWB), WPB = pwid(WWB);
    wire [31:0] wdata_sdp = {DIBDI, DIADI};
    wire [3:0] wpar_sdp = {DIPBDIP, DIPADIP};
    reg [31:0] rdA, rpA, rdB, rpB;
    integer k, wa, ra, nb;
    // Reads see the contents before this clock's writes (writes are non-blocking): READ_FIRST between ports.
    always @(posedge CLKARDCLK) if (ENARDEN) begin
        if (RWA != 0) begin
            ra = (ADDRARDADDR[13:0] >> lg(DWA));
            rdA = 0; rpA = 0;
            for (k = 0; k < DWA; k = k + 1) rdA[k] = mem[ra * DWA + k];
            for (k = 0; k < PWA; k = k + 1) rpA[k] = par[ra * PWA + k];
            if (!SDP && WWA != 0 && WEA != 0 && WRITE_MODE_A == "NO_CHANGE") begin end
            else if (!SDP && WWA != 0 && WEA != 0 && WRITE_MODE_A == "WRITE_FIRST")
                $fatal(1, "RAMB18E1 model: WRITE_FIRST read-during-write on port A not modelled");
            else if (RSTRAMARSTRAM) $fatal(1, "RAMB18E1 model: RSTRAMARSTRAM not modelled");
            else begin
                if (SDP) {DOBDO, DOADO} <= rdA[31:0]; else DOADO <= rdA[15:0];
                if (SDP) {DOPBDOP, DOPADOP} <= rpA[3:0]; else DOPADOP <= rpA[1:0];
            end
        end
        if (!SDP && WWA != 0) begin
            wa = (ADDRARDADDR[13:0] >> lg(WDA));
            for (k = 0; k < WDA; k = k + 1) if (WEA[WDA >= 8 ? k / 8 : 0]) mem[wa * WDA + k] <= DIADI[k];
            for (k = 0; k < WPA; k = k + 1) if (WEA[k]) par[wa * WPA + k] <= DIPADIP[k];
        end
    end
    always @(posedge CLKBWRCLK) if (ENBWREN) begin
        if (!SDP && RWB != 0) begin
            ra = (ADDRBWRADDR[13:0] >> lg(DWB));
            rdB = 0; rpB = 0;
            for (k = 0; k < DWB; k = k + 1) rdB[k] = mem[ra * DWB + k];
            for (k = 0; k < PWB; k = k + 1) rpB[k] = par[ra * PWB + k];
            if (WWB != 0 && WEBWE != 0 && WRITE_MODE_B == "NO_CHANGE") begin end
            else if (WWB != 0 && WEBWE != 0 && WRITE_MODE_B == "WRITE_FIRST")
                $fatal(1, "RAMB18E1 model: WRITE_FIRST read-during-write on port B not modelled");
            else if (RSTRAMB) $fatal(1, "RAMB18E1 model: RSTRAMB not modelled");
            else begin
                DOBDO <= rdB[15:0];
                DOPBDOP <= rpB[1:0];
            end
        end
        if (WWB != 0) begin
            wa = (ADDRBWRADDR[13:0] >> lg(WDB));
            if (SDP) begin
                for (k = 0; k < WDB; k = k + 1) if (WEBWE[WDB >= 8 ? k / 8 : 0]) mem[wa * WDB + k] <= wdata_sdp[k];
                for (k = 0; k < WPB; k = k + 1) if (WEBWE[k]) par[wa * WPB + k] <= wpar_sdp[k];
            end else begin
                for (k = 0; k < WDB; k = k + 1) if (WEBWE[WDB >= 8 ? k / 8 : 0]) mem[wa * WDB + k] <= DIBDI[k];
                for (k = 0; k < WPB; k = k + 1) if (WEBWE[k]) par[wa * WPB + k] <= DIPBDIP[k];
            end
        end
    end
endmodule

module RAMB36E1 (
    input  wire CLKARDCLK, CLKBWRCLK, ENARDEN, ENBWREN, REGCEAREGCE, REGCEB,
    input  wire RSTRAMARSTRAM, RSTRAMB, RSTREGARSTREG, RSTREGB,
    input  wire CASCADEINA, CASCADEINB, INJECTDBITERR, INJECTSBITERR,
    output wire CASCADEOUTA, CASCADEOUTB, DBITERR, SBITERR,
    output wire [7:0] ECCPARITY,
    output wire [8:0] RDADDRECC,
    input  wire [15:0] ADDRARDADDR, ADDRBWRADDR,
    input  wire [31:0] DIADI, DIBDI,
    input  wire [3:0] DIPADIP, DIPBDIP,
    input  wire [3:0] WEA,
    input  wire [7:0] WEBWE,
    output reg  [31:0] DOADO, DOBDO,
    output reg  [3:0] DOPADOP, DOPBDOP
);
    parameter integer DOA_REG = 0;
    parameter integer DOB_REG = 0;
    parameter RAM_MODE = "TDP";
    parameter integer READ_WIDTH_A = 0;
    parameter integer READ_WIDTH_B = 0;
    parameter integer WRITE_WIDTH_A = 0;
    parameter integer WRITE_WIDTH_B = 0;
    parameter WRITE_MODE_A = "WRITE_FIRST";
    parameter WRITE_MODE_B = "WRITE_FIRST";
    parameter INIT_A = 36'h0;
    parameter INIT_B = 36'h0;
    parameter SRVAL_A = 36'h0;
    parameter SRVAL_B = 36'h0;
    parameter RDADDR_COLLISION_HWCONFIG = "DELAYED_WRITE";
    parameter RSTREG_PRIORITY_A = "RSTREG";
    parameter RSTREG_PRIORITY_B = "RSTREG";
    parameter SIM_COLLISION_CHECK = "ALL";
    parameter SIM_DEVICE = "7SERIES";
    parameter INIT_FILE = "NONE";
    parameter IS_CLKARDCLK_INVERTED = 1'b0;
    parameter IS_CLKBWRCLK_INVERTED = 1'b0;
    parameter IS_ENARDEN_INVERTED = 1'b0;
    parameter IS_ENBWREN_INVERTED = 1'b0;
    parameter IS_RSTRAMARSTRAM_INVERTED = 1'b0;
    parameter IS_RSTRAMB_INVERTED = 1'b0;
    parameter IS_RSTREGARSTREG_INVERTED = 1'b0;
    parameter IS_RSTREGB_INVERTED = 1'b0;
    parameter EN_ECC_READ = "FALSE";
    parameter EN_ECC_WRITE = "FALSE";
    parameter RAM_EXTENSION_A = "NONE";
    parameter RAM_EXTENSION_B = "NONE";
    assign CASCADEOUTA = 1'b0;
    assign CASCADEOUTB = 1'b0;
    assign DBITERR = 1'b0;
    assign SBITERR = 1'b0;
    assign ECCPARITY = 8'h0;
    assign RDADDRECC = 9'h0;
    parameter [255:0] INIT_00 = 256'h0;
    parameter [255:0] INIT_01 = 256'h0;
    parameter [255:0] INIT_02 = 256'h0;
    parameter [255:0] INIT_03 = 256'h0;
    parameter [255:0] INIT_04 = 256'h0;
    parameter [255:0] INIT_05 = 256'h0;
    parameter [255:0] INIT_06 = 256'h0;
    parameter [255:0] INIT_07 = 256'h0;
    parameter [255:0] INIT_08 = 256'h0;
    parameter [255:0] INIT_09 = 256'h0;
    parameter [255:0] INIT_0A = 256'h0;
    parameter [255:0] INIT_0B = 256'h0;
    parameter [255:0] INIT_0C = 256'h0;
    parameter [255:0] INIT_0D = 256'h0;
    parameter [255:0] INIT_0E = 256'h0;
    parameter [255:0] INIT_0F = 256'h0;
    parameter [255:0] INIT_10 = 256'h0;
    parameter [255:0] INIT_11 = 256'h0;
    parameter [255:0] INIT_12 = 256'h0;
    parameter [255:0] INIT_13 = 256'h0;
    parameter [255:0] INIT_14 = 256'h0;
    parameter [255:0] INIT_15 = 256'h0;
    parameter [255:0] INIT_16 = 256'h0;
    parameter [255:0] INIT_17 = 256'h0;
    parameter [255:0] INIT_18 = 256'h0;
    parameter [255:0] INIT_19 = 256'h0;
    parameter [255:0] INIT_1A = 256'h0;
    parameter [255:0] INIT_1B = 256'h0;
    parameter [255:0] INIT_1C = 256'h0;
    parameter [255:0] INIT_1D = 256'h0;
    parameter [255:0] INIT_1E = 256'h0;
    parameter [255:0] INIT_1F = 256'h0;
    parameter [255:0] INIT_20 = 256'h0;
    parameter [255:0] INIT_21 = 256'h0;
    parameter [255:0] INIT_22 = 256'h0;
    parameter [255:0] INIT_23 = 256'h0;
    parameter [255:0] INIT_24 = 256'h0;
    parameter [255:0] INIT_25 = 256'h0;
    parameter [255:0] INIT_26 = 256'h0;
    parameter [255:0] INIT_27 = 256'h0;
    parameter [255:0] INIT_28 = 256'h0;
    parameter [255:0] INIT_29 = 256'h0;
    parameter [255:0] INIT_2A = 256'h0;
    parameter [255:0] INIT_2B = 256'h0;
    parameter [255:0] INIT_2C = 256'h0;
    parameter [255:0] INIT_2D = 256'h0;
    parameter [255:0] INIT_2E = 256'h0;
    parameter [255:0] INIT_2F = 256'h0;
    parameter [255:0] INIT_30 = 256'h0;
    parameter [255:0] INIT_31 = 256'h0;
    parameter [255:0] INIT_32 = 256'h0;
    parameter [255:0] INIT_33 = 256'h0;
    parameter [255:0] INIT_34 = 256'h0;
    parameter [255:0] INIT_35 = 256'h0;
    parameter [255:0] INIT_36 = 256'h0;
    parameter [255:0] INIT_37 = 256'h0;
    parameter [255:0] INIT_38 = 256'h0;
    parameter [255:0] INIT_39 = 256'h0;
    parameter [255:0] INIT_3A = 256'h0;
    parameter [255:0] INIT_3B = 256'h0;
    parameter [255:0] INIT_3C = 256'h0;
    parameter [255:0] INIT_3D = 256'h0;
    parameter [255:0] INIT_3E = 256'h0;
    parameter [255:0] INIT_3F = 256'h0;
    parameter [255:0] INIT_40 = 256'h0;
    parameter [255:0] INIT_41 = 256'h0;
    parameter [255:0] INIT_42 = 256'h0;
    parameter [255:0] INIT_43 = 256'h0;
    parameter [255:0] INIT_44 = 256'h0;
    parameter [255:0] INIT_45 = 256'h0;
    parameter [255:0] INIT_46 = 256'h0;
    parameter [255:0] INIT_47 = 256'h0;
    parameter [255:0] INIT_48 = 256'h0;
    parameter [255:0] INIT_49 = 256'h0;
    parameter [255:0] INIT_4A = 256'h0;
    parameter [255:0] INIT_4B = 256'h0;
    parameter [255:0] INIT_4C = 256'h0;
    parameter [255:0] INIT_4D = 256'h0;
    parameter [255:0] INIT_4E = 256'h0;
    parameter [255:0] INIT_4F = 256'h0;
    parameter [255:0] INIT_50 = 256'h0;
    parameter [255:0] INIT_51 = 256'h0;
    parameter [255:0] INIT_52 = 256'h0;
    parameter [255:0] INIT_53 = 256'h0;
    parameter [255:0] INIT_54 = 256'h0;
    parameter [255:0] INIT_55 = 256'h0;
    parameter [255:0] INIT_56 = 256'h0;
    parameter [255:0] INIT_57 = 256'h0;
    parameter [255:0] INIT_58 = 256'h0;
    parameter [255:0] INIT_59 = 256'h0;
    parameter [255:0] INIT_5A = 256'h0;
    parameter [255:0] INIT_5B = 256'h0;
    parameter [255:0] INIT_5C = 256'h0;
    parameter [255:0] INIT_5D = 256'h0;
    parameter [255:0] INIT_5E = 256'h0;
    parameter [255:0] INIT_5F = 256'h0;
    parameter [255:0] INIT_60 = 256'h0;
    parameter [255:0] INIT_61 = 256'h0;
    parameter [255:0] INIT_62 = 256'h0;
    parameter [255:0] INIT_63 = 256'h0;
    parameter [255:0] INIT_64 = 256'h0;
    parameter [255:0] INIT_65 = 256'h0;
    parameter [255:0] INIT_66 = 256'h0;
    parameter [255:0] INIT_67 = 256'h0;
    parameter [255:0] INIT_68 = 256'h0;
    parameter [255:0] INIT_69 = 256'h0;
    parameter [255:0] INIT_6A = 256'h0;
    parameter [255:0] INIT_6B = 256'h0;
    parameter [255:0] INIT_6C = 256'h0;
    parameter [255:0] INIT_6D = 256'h0;
    parameter [255:0] INIT_6E = 256'h0;
    parameter [255:0] INIT_6F = 256'h0;
    parameter [255:0] INIT_70 = 256'h0;
    parameter [255:0] INIT_71 = 256'h0;
    parameter [255:0] INIT_72 = 256'h0;
    parameter [255:0] INIT_73 = 256'h0;
    parameter [255:0] INIT_74 = 256'h0;
    parameter [255:0] INIT_75 = 256'h0;
    parameter [255:0] INIT_76 = 256'h0;
    parameter [255:0] INIT_77 = 256'h0;
    parameter [255:0] INIT_78 = 256'h0;
    parameter [255:0] INIT_79 = 256'h0;
    parameter [255:0] INIT_7A = 256'h0;
    parameter [255:0] INIT_7B = 256'h0;
    parameter [255:0] INIT_7C = 256'h0;
    parameter [255:0] INIT_7D = 256'h0;
    parameter [255:0] INIT_7E = 256'h0;
    parameter [255:0] INIT_7F = 256'h0;
    parameter [255:0] INITP_00 = 256'h0;
    parameter [255:0] INITP_01 = 256'h0;
    parameter [255:0] INITP_02 = 256'h0;
    parameter [255:0] INITP_03 = 256'h0;
    parameter [255:0] INITP_04 = 256'h0;
    parameter [255:0] INITP_05 = 256'h0;
    parameter [255:0] INITP_06 = 256'h0;
    parameter [255:0] INITP_07 = 256'h0;
    parameter [255:0] INITP_08 = 256'h0;
    parameter [255:0] INITP_09 = 256'h0;
    parameter [255:0] INITP_0A = 256'h0;
    parameter [255:0] INITP_0B = 256'h0;
    parameter [255:0] INITP_0C = 256'h0;
    parameter [255:0] INITP_0D = 256'h0;
    parameter [255:0] INITP_0E = 256'h0;
    parameter [255:0] INITP_0F = 256'h0;
    localparam SDP = RAM_MODE == "SDP";
    reg mem [0:32767];
    reg par [0:4095];
    integer i;
    initial begin
        if (DOA_REG != 0 || DOB_REG != 0 || (RAM_MODE != "TDP" && RAM_MODE != "SDP") ||
            !ok_width(READ_WIDTH_A) || !ok_width(READ_WIDTH_B) || !ok_width(WRITE_WIDTH_A) || !ok_width(WRITE_WIDTH_B) ||
            (SDP && (READ_WIDTH_B != 0 || WRITE_WIDTH_A != 0)) ||
            (!SDP && (READ_WIDTH_A > 36 || READ_WIDTH_B > 36 || WRITE_WIDTH_A > 36 || WRITE_WIDTH_B > 36)) ||
            !ok_mode(WRITE_MODE_A) || !ok_mode(WRITE_MODE_B) || IS_CLKARDCLK_INVERTED || IS_CLKBWRCLK_INVERTED ||
            IS_ENARDEN_INVERTED || IS_ENBWREN_INVERTED || IS_RSTRAMARSTRAM_INVERTED || IS_RSTRAMB_INVERTED)
            $fatal(1, "RAMB36E1 model (verify/fpga_sim/xc7_bram.v): unsupported configuration RAM_MODE=%0s READ_WIDTH_A=%0d READ_WIDTH_B=%0d WRITE_WIDTH_A=%0d WRITE_WIDTH_B=%0d DOA_REG=%0d DOB_REG=%0d",
                   RAM_MODE, READ_WIDTH_A, READ_WIDTH_B, WRITE_WIDTH_A, WRITE_WIDTH_B, DOA_REG, DOB_REG);
        for (i = 0; i < 256; i = i + 1) mem[0 + i] = INIT_00[i];
        for (i = 0; i < 256; i = i + 1) mem[256 + i] = INIT_01[i];
        for (i = 0; i < 256; i = i + 1) mem[512 + i] = INIT_02[i];
        for (i = 0; i < 256; i = i + 1) mem[768 + i] = INIT_03[i];
        for (i = 0; i < 256; i = i + 1) mem[1024 + i] = INIT_04[i];
        for (i = 0; i < 256; i = i + 1) mem[1280 + i] = INIT_05[i];
        for (i = 0; i < 256; i = i + 1) mem[1536 + i] = INIT_06[i];
        for (i = 0; i < 256; i = i + 1) mem[1792 + i] = INIT_07[i];
        for (i = 0; i < 256; i = i + 1) mem[2048 + i] = INIT_08[i];
        for (i = 0; i < 256; i = i + 1) mem[2304 + i] = INIT_09[i];
        for (i = 0; i < 256; i = i + 1) mem[2560 + i] = INIT_0A[i];
        for (i = 0; i < 256; i = i + 1) mem[2816 + i] = INIT_0B[i];
        for (i = 0; i < 256; i = i + 1) mem[3072 + i] = INIT_0C[i];
        for (i = 0; i < 256; i = i + 1) mem[3328 + i] = INIT_0D[i];
        for (i = 0; i < 256; i = i + 1) mem[3584 + i] = INIT_0E[i];
        for (i = 0; i < 256; i = i + 1) mem[3840 + i] = INIT_0F[i];
        for (i = 0; i < 256; i = i + 1) mem[4096 + i] = INIT_10[i];
        for (i = 0; i < 256; i = i + 1) mem[4352 + i] = INIT_11[i];
        for (i = 0; i < 256; i = i + 1) mem[4608 + i] = INIT_12[i];
        for (i = 0; i < 256; i = i + 1) mem[4864 + i] = INIT_13[i];
        for (i = 0; i < 256; i = i + 1) mem[5120 + i] = INIT_14[i];
        for (i = 0; i < 256; i = i + 1) mem[5376 + i] = INIT_15[i];
        for (i = 0; i < 256; i = i + 1) mem[5632 + i] = INIT_16[i];
        for (i = 0; i < 256; i = i + 1) mem[5888 + i] = INIT_17[i];
        for (i = 0; i < 256; i = i + 1) mem[6144 + i] = INIT_18[i];
        for (i = 0; i < 256; i = i + 1) mem[6400 + i] = INIT_19[i];
        for (i = 0; i < 256; i = i + 1) mem[6656 + i] = INIT_1A[i];
        for (i = 0; i < 256; i = i + 1) mem[6912 + i] = INIT_1B[i];
        for (i = 0; i < 256; i = i + 1) mem[7168 + i] = INIT_1C[i];
        for (i = 0; i < 256; i = i + 1) mem[7424 + i] = INIT_1D[i];
        for (i = 0; i < 256; i = i + 1) mem[7680 + i] = INIT_1E[i];
        for (i = 0; i < 256; i = i + 1) mem[7936 + i] = INIT_1F[i];
        for (i = 0; i < 256; i = i + 1) mem[8192 + i] = INIT_20[i];
        for (i = 0; i < 256; i = i + 1) mem[8448 + i] = INIT_21[i];
        for (i = 0; i < 256; i = i + 1) mem[8704 + i] = INIT_22[i];
        for (i = 0; i < 256; i = i + 1) mem[8960 + i] = INIT_23[i];
        for (i = 0; i < 256; i = i + 1) mem[9216 + i] = INIT_24[i];
        for (i = 0; i < 256; i = i + 1) mem[9472 + i] = INIT_25[i];
        for (i = 0; i < 256; i = i + 1) mem[9728 + i] = INIT_26[i];
        for (i = 0; i < 256; i = i + 1) mem[9984 + i] = INIT_27[i];
        for (i = 0; i < 256; i = i + 1) mem[10240 + i] = INIT_28[i];
        for (i = 0; i < 256; i = i + 1) mem[10496 + i] = INIT_29[i];
        for (i = 0; i < 256; i = i + 1) mem[10752 + i] = INIT_2A[i];
        for (i = 0; i < 256; i = i + 1) mem[11008 + i] = INIT_2B[i];
        for (i = 0; i < 256; i = i + 1) mem[11264 + i] = INIT_2C[i];
        for (i = 0; i < 256; i = i + 1) mem[11520 + i] = INIT_2D[i];
        for (i = 0; i < 256; i = i + 1) mem[11776 + i] = INIT_2E[i];
        for (i = 0; i < 256; i = i + 1) mem[12032 + i] = INIT_2F[i];
        for (i = 0; i < 256; i = i + 1) mem[12288 + i] = INIT_30[i];
        for (i = 0; i < 256; i = i + 1) mem[12544 + i] = INIT_31[i];
        for (i = 0; i < 256; i = i + 1) mem[12800 + i] = INIT_32[i];
        for (i = 0; i < 256; i = i + 1) mem[13056 + i] = INIT_33[i];
        for (i = 0; i < 256; i = i + 1) mem[13312 + i] = INIT_34[i];
        for (i = 0; i < 256; i = i + 1) mem[13568 + i] = INIT_35[i];
        for (i = 0; i < 256; i = i + 1) mem[13824 + i] = INIT_36[i];
        for (i = 0; i < 256; i = i + 1) mem[14080 + i] = INIT_37[i];
        for (i = 0; i < 256; i = i + 1) mem[14336 + i] = INIT_38[i];
        for (i = 0; i < 256; i = i + 1) mem[14592 + i] = INIT_39[i];
        for (i = 0; i < 256; i = i + 1) mem[14848 + i] = INIT_3A[i];
        for (i = 0; i < 256; i = i + 1) mem[15104 + i] = INIT_3B[i];
        for (i = 0; i < 256; i = i + 1) mem[15360 + i] = INIT_3C[i];
        for (i = 0; i < 256; i = i + 1) mem[15616 + i] = INIT_3D[i];
        for (i = 0; i < 256; i = i + 1) mem[15872 + i] = INIT_3E[i];
        for (i = 0; i < 256; i = i + 1) mem[16128 + i] = INIT_3F[i];
        for (i = 0; i < 256; i = i + 1) mem[16384 + i] = INIT_40[i];
        for (i = 0; i < 256; i = i + 1) mem[16640 + i] = INIT_41[i];
        for (i = 0; i < 256; i = i + 1) mem[16896 + i] = INIT_42[i];
        for (i = 0; i < 256; i = i + 1) mem[17152 + i] = INIT_43[i];
        for (i = 0; i < 256; i = i + 1) mem[17408 + i] = INIT_44[i];
        for (i = 0; i < 256; i = i + 1) mem[17664 + i] = INIT_45[i];
        for (i = 0; i < 256; i = i + 1) mem[17920 + i] = INIT_46[i];
        for (i = 0; i < 256; i = i + 1) mem[18176 + i] = INIT_47[i];
        for (i = 0; i < 256; i = i + 1) mem[18432 + i] = INIT_48[i];
        for (i = 0; i < 256; i = i + 1) mem[18688 + i] = INIT_49[i];
        for (i = 0; i < 256; i = i + 1) mem[18944 + i] = INIT_4A[i];
        for (i = 0; i < 256; i = i + 1) mem[19200 + i] = INIT_4B[i];
        for (i = 0; i < 256; i = i + 1) mem[19456 + i] = INIT_4C[i];
        for (i = 0; i < 256; i = i + 1) mem[19712 + i] = INIT_4D[i];
        for (i = 0; i < 256; i = i + 1) mem[19968 + i] = INIT_4E[i];
        for (i = 0; i < 256; i = i + 1) mem[20224 + i] = INIT_4F[i];
        for (i = 0; i < 256; i = i + 1) mem[20480 + i] = INIT_50[i];
        for (i = 0; i < 256; i = i + 1) mem[20736 + i] = INIT_51[i];
        for (i = 0; i < 256; i = i + 1) mem[20992 + i] = INIT_52[i];
        for (i = 0; i < 256; i = i + 1) mem[21248 + i] = INIT_53[i];
        for (i = 0; i < 256; i = i + 1) mem[21504 + i] = INIT_54[i];
        for (i = 0; i < 256; i = i + 1) mem[21760 + i] = INIT_55[i];
        for (i = 0; i < 256; i = i + 1) mem[22016 + i] = INIT_56[i];
        for (i = 0; i < 256; i = i + 1) mem[22272 + i] = INIT_57[i];
        for (i = 0; i < 256; i = i + 1) mem[22528 + i] = INIT_58[i];
        for (i = 0; i < 256; i = i + 1) mem[22784 + i] = INIT_59[i];
        for (i = 0; i < 256; i = i + 1) mem[23040 + i] = INIT_5A[i];
        for (i = 0; i < 256; i = i + 1) mem[23296 + i] = INIT_5B[i];
        for (i = 0; i < 256; i = i + 1) mem[23552 + i] = INIT_5C[i];
        for (i = 0; i < 256; i = i + 1) mem[23808 + i] = INIT_5D[i];
        for (i = 0; i < 256; i = i + 1) mem[24064 + i] = INIT_5E[i];
        for (i = 0; i < 256; i = i + 1) mem[24320 + i] = INIT_5F[i];
        for (i = 0; i < 256; i = i + 1) mem[24576 + i] = INIT_60[i];
        for (i = 0; i < 256; i = i + 1) mem[24832 + i] = INIT_61[i];
        for (i = 0; i < 256; i = i + 1) mem[25088 + i] = INIT_62[i];
        for (i = 0; i < 256; i = i + 1) mem[25344 + i] = INIT_63[i];
        for (i = 0; i < 256; i = i + 1) mem[25600 + i] = INIT_64[i];
        for (i = 0; i < 256; i = i + 1) mem[25856 + i] = INIT_65[i];
        for (i = 0; i < 256; i = i + 1) mem[26112 + i] = INIT_66[i];
        for (i = 0; i < 256; i = i + 1) mem[26368 + i] = INIT_67[i];
        for (i = 0; i < 256; i = i + 1) mem[26624 + i] = INIT_68[i];
        for (i = 0; i < 256; i = i + 1) mem[26880 + i] = INIT_69[i];
        for (i = 0; i < 256; i = i + 1) mem[27136 + i] = INIT_6A[i];
        for (i = 0; i < 256; i = i + 1) mem[27392 + i] = INIT_6B[i];
        for (i = 0; i < 256; i = i + 1) mem[27648 + i] = INIT_6C[i];
        for (i = 0; i < 256; i = i + 1) mem[27904 + i] = INIT_6D[i];
        for (i = 0; i < 256; i = i + 1) mem[28160 + i] = INIT_6E[i];
        for (i = 0; i < 256; i = i + 1) mem[28416 + i] = INIT_6F[i];
        for (i = 0; i < 256; i = i + 1) mem[28672 + i] = INIT_70[i];
        for (i = 0; i < 256; i = i + 1) mem[28928 + i] = INIT_71[i];
        for (i = 0; i < 256; i = i + 1) mem[29184 + i] = INIT_72[i];
        for (i = 0; i < 256; i = i + 1) mem[29440 + i] = INIT_73[i];
        for (i = 0; i < 256; i = i + 1) mem[29696 + i] = INIT_74[i];
        for (i = 0; i < 256; i = i + 1) mem[29952 + i] = INIT_75[i];
        for (i = 0; i < 256; i = i + 1) mem[30208 + i] = INIT_76[i];
        for (i = 0; i < 256; i = i + 1) mem[30464 + i] = INIT_77[i];
        for (i = 0; i < 256; i = i + 1) mem[30720 + i] = INIT_78[i];
        for (i = 0; i < 256; i = i + 1) mem[30976 + i] = INIT_79[i];
        for (i = 0; i < 256; i = i + 1) mem[31232 + i] = INIT_7A[i];
        for (i = 0; i < 256; i = i + 1) mem[31488 + i] = INIT_7B[i];
        for (i = 0; i < 256; i = i + 1) mem[31744 + i] = INIT_7C[i];
        for (i = 0; i < 256; i = i + 1) mem[32000 + i] = INIT_7D[i];
        for (i = 0; i < 256; i = i + 1) mem[32256 + i] = INIT_7E[i];
        for (i = 0; i < 256; i = i + 1) mem[32512 + i] = INIT_7F[i];
        for (i = 0; i < 256; i = i + 1) par[0 + i] = INITP_00[i];
        for (i = 0; i < 256; i = i + 1) par[256 + i] = INITP_01[i];
        for (i = 0; i < 256; i = i + 1) par[512 + i] = INITP_02[i];
        for (i = 0; i < 256; i = i + 1) par[768 + i] = INITP_03[i];
        for (i = 0; i < 256; i = i + 1) par[1024 + i] = INITP_04[i];
        for (i = 0; i < 256; i = i + 1) par[1280 + i] = INITP_05[i];
        for (i = 0; i < 256; i = i + 1) par[1536 + i] = INITP_06[i];
        for (i = 0; i < 256; i = i + 1) par[1792 + i] = INITP_07[i];
        for (i = 0; i < 256; i = i + 1) par[2048 + i] = INITP_08[i];
        for (i = 0; i < 256; i = i + 1) par[2304 + i] = INITP_09[i];
        for (i = 0; i < 256; i = i + 1) par[2560 + i] = INITP_0A[i];
        for (i = 0; i < 256; i = i + 1) par[2816 + i] = INITP_0B[i];
        for (i = 0; i < 256; i = i + 1) par[3072 + i] = INITP_0C[i];
        for (i = 0; i < 256; i = i + 1) par[3328 + i] = INITP_0D[i];
        for (i = 0; i < 256; i = i + 1) par[3584 + i] = INITP_0E[i];
        for (i = 0; i < 256; i = i + 1) par[3840 + i] = INITP_0F[i];
        {DOPADOP, DOADO} = 0;
        {DOPBDOP, DOBDO} = 0;
    end
    function ok_width(input integer w);
        ok_width = w == 0 || w == 1 || w == 2 || w == 4 || w == 9 || w == 18 || w == 36 || w == 72;
    endfunction
    function ok_mode(input [8*11-1:0] m);
        ok_mode = m == "READ_FIRST" || m == "WRITE_FIRST" || m == "NO_CHANGE";
    endfunction
    // data and parity bits of a port of width w (1, 2, 4: no parity)
    function integer dwid(input integer w);
        dwid = w >= 9 ? w / 9 * 8 : w;
    endfunction
    function integer pwid(input integer w);
        pwid = w >= 9 ? w / 9 : 0;
    endfunction
    function integer lg(input integer x);
        begin
            lg = 0;
            while ((1 << lg) < x) lg = lg + 1;
        end
    endfunction
    // the word of width w at address ad: bit address ad[14:0] >> log2(data bits)
    // port A (TDP) or the read port (SDP, A and B output buses together)
    localparam integer RWA = SDP ? READ_WIDTH_A : READ_WIDTH_A, DWA = dwid(RWA), PWA = pwid(RWA);
    localparam integer WWA = SDP ? WRITE_WIDTH_B : WRITE_WIDTH_A, WDA = dwid(WWA), WPA = pwid(WWA);
    localparam integer RWB = READ_WIDTH_B, DWB = dwid(RWB), PWB = pwid(RWB);
    localparam integer WWB = WRITE_WIDTH_B, WDB = dwid(WWB), WPB = pwid(WWB);
    wire [63:0] wdata_sdp = {DIBDI, DIADI};
    wire [7:0] wpar_sdp = {DIPBDIP, DIPADIP};
    reg [63:0] rdA, rpA, rdB, rpB;
    integer k, wa, ra, nb;
    // Reads see the contents before this clock's writes (writes are non-blocking): READ_FIRST between ports.
    always @(posedge CLKARDCLK) if (ENARDEN) begin
        if (RWA != 0) begin
            ra = (ADDRARDADDR[14:0] >> lg(DWA));
            rdA = 0; rpA = 0;
            for (k = 0; k < DWA; k = k + 1) rdA[k] = mem[ra * DWA + k];
            for (k = 0; k < PWA; k = k + 1) rpA[k] = par[ra * PWA + k];
            if (!SDP && WWA != 0 && WEA != 0 && WRITE_MODE_A == "NO_CHANGE") begin end
            else if (!SDP && WWA != 0 && WEA != 0 && WRITE_MODE_A == "WRITE_FIRST")
                $fatal(1, "RAMB36E1 model: WRITE_FIRST read-during-write on port A not modelled");
            else if (RSTRAMARSTRAM) $fatal(1, "RAMB36E1 model: RSTRAMARSTRAM not modelled");
            else begin
                if (SDP) {DOBDO, DOADO} <= rdA[63:0]; else DOADO <= rdA[31:0];
                if (SDP) {DOPBDOP, DOPADOP} <= rpA[7:0]; else DOPADOP <= rpA[3:0];
            end
        end
        if (!SDP && WWA != 0) begin
            wa = (ADDRARDADDR[14:0] >> lg(WDA));
            for (k = 0; k < WDA; k = k + 1) if (WEA[WDA >= 8 ? k / 8 : 0]) mem[wa * WDA + k] <= DIADI[k];
            for (k = 0; k < WPA; k = k + 1) if (WEA[k]) par[wa * WPA + k] <= DIPADIP[k];
        end
    end
    always @(posedge CLKBWRCLK) if (ENBWREN) begin
        if (!SDP && RWB != 0) begin
            ra = (ADDRBWRADDR[14:0] >> lg(DWB));
            rdB = 0; rpB = 0;
            for (k = 0; k < DWB; k = k + 1) rdB[k] = mem[ra * DWB + k];
            for (k = 0; k < PWB; k = k + 1) rpB[k] = par[ra * PWB + k];
            if (WWB != 0 && WEBWE != 0 && WRITE_MODE_B == "NO_CHANGE") begin end
            else if (WWB != 0 && WEBWE != 0 && WRITE_MODE_B == "WRITE_FIRST")
                $fatal(1, "RAMB36E1 model: WRITE_FIRST read-during-write on port B not modelled");
            else if (RSTRAMB) $fatal(1, "RAMB36E1 model: RSTRAMB not modelled");
            else begin
                DOBDO <= rdB[31:0];
                DOPBDOP <= rpB[3:0];
            end
        end
        if (WWB != 0) begin
            wa = (ADDRBWRADDR[14:0] >> lg(WDB));
            if (SDP) begin
                for (k = 0; k < WDB; k = k + 1) if (WEBWE[WDB >= 8 ? k / 8 : 0]) mem[wa * WDB + k] <= wdata_sdp[k];
                for (k = 0; k < WPB; k = k + 1) if (WEBWE[k]) par[wa * WPB + k] <= wpar_sdp[k];
            end else begin
                for (k = 0; k < WDB; k = k + 1) if (WEBWE[WDB >= 8 ? k / 8 : 0]) mem[wa * WDB + k] <= DIBDI[k];
                for (k = 0; k < WPB; k = k + 1) if (WEBWE[k]) par[wa * WPB + k] <= DIPBDIP[k];
            end
        end
    end
endmodule
`default_nettype wire
