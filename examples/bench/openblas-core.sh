# Sourced by compare.sh and two-threads.sh: makes the PyTorch peer's OpenBLAS use the kernels this CPU can run.
#
# OpenBLAS picks its kernels at load time from the CPU model. Debian's 0.3.21 does not know recent Xeons
# (Sapphire/Emerald Rapids, model 207 on one host here) and falls back to its Prescott (SSE3) kernels: one
# thread's sgemm then runs at 16 GFLOP/s where the AVX-512 kernels reach 100-136, and the peer is 3-8x slower
# than it should be. When OpenBLAS reports such a fallback on a CPU with AVX-512 (or AVX2 and FMA), this
# exports OPENBLAS_CORETYPE=SkylakeX (or Haswell). An OPENBLAS_CORETYPE already set is kept.
# Sets openblas_core to a line for machine.txt.
openblas_core=""
openblas_detected="$(OPENBLAS_VERBOSE=2 /usr/bin/python3 -c 'import torch; torch.mm(torch.ones(2, 2), torch.ones(2, 2))' 2>&1 \
  | sed -n 's/^Core: //p' | head -1)"
if [ -n "${OPENBLAS_CORETYPE:-}" ]; then
  openblas_core="OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE (set by the caller; OpenBLAS reports ${openblas_detected:-?})"
else
  case "$openblas_detected" in
    Prescott|Core2|Penryn|Dunnington|Nehalem|Atom|Katmai|Coppermine|Northwood|Banias|'')
      cpu_flags="$(grep -m1 '^flags' /proc/cpuinfo) "
      forced=""
      if [[ "$cpu_flags" == *" avx512f "* && "$cpu_flags" == *" avx512bw "* && "$cpu_flags" == *" avx512vl "* ]]; then
        forced="SkylakeX"
      elif [[ "$cpu_flags" == *" avx2 "* && "$cpu_flags" == *" fma "* ]]; then
        forced="Haswell"
      fi
      if [ -n "$forced" ]; then
        export OPENBLAS_CORETYPE="$forced"
        openblas_core="OPENBLAS_CORETYPE=$forced (OpenBLAS detected ${openblas_detected:-nothing}, a fallback, on a CPU with $( [ "$forced" = SkylakeX ] && echo AVX-512 || echo AVX2))"
      else
        openblas_core="${openblas_detected:-?} (detected)"
      fi
      ;;
    *) openblas_core="$openblas_detected (detected)" ;;
  esac
fi
