#!/bin/bash
# Run Vivado HLS 2018.3 on an hwgen HLS project (see run_hls.tcl for the arguments):
#   Vivado_tcl/run_hls.sh HW_DIR FINN_HLSLIB [STEPS] [KEY=VALUE ...]
#
# vivado_hls is taken from, in this order:
#   1. $VIVADO_HLS, the path of the vivado_hls executable;
#   2. vivado_hls on the PATH (e.g. after `source /opt/Xilinx/Vivado/2018.3/settings64.sh`);
#   3. $XILINX_VIVADO/settings64.sh, sourced (XILINX_VIVADO=/opt/Xilinx/Vivado/2018.3);
#   4. /opt/Xilinx/Vivado/2018.3/settings64.sh, sourced.
# Vivado HLS writes vivado_hls.log into the current directory.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [ "$#" -lt 2 ]; then
    echo "usage: $0 HW_DIR FINN_HLSLIB [csim,csynth,cosim,export] [key=value ...]" >&2
    exit 2
fi

if [ -n "${VIVADO_HLS:-}" ]; then
    hls=$VIVADO_HLS
elif command -v vivado_hls >/dev/null 2>&1; then
    hls=vivado_hls
else
    settings=${XILINX_VIVADO:-/opt/Xilinx/Vivado/2018.3}/settings64.sh
    if [ -f "$settings" ]; then
        # shellcheck disable=SC1090
        . "$settings"
    fi
    if ! command -v vivado_hls >/dev/null 2>&1; then
        echo "$0: vivado_hls not found: set VIVADO_HLS to the executable or XILINX_VIVADO to" \
             "the Vivado 2018.3 folder (with settings64.sh), or put vivado_hls on the PATH" >&2
        exit 127
    fi
    hls=vivado_hls
fi

exec "$hls" -f "$here/run_hls.tcl" -tclargs "$@"
