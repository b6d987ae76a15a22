"""Which BLAS a process really runs. Debian's torch links libblas.so.3, whose
alternative may be the reference BLAS (about 10x slower) or OpenBLAS."""


def blas_libraries():
    try:
        with open('/proc/self/maps') as maps:
            return sorted({line.split()[-1] for line in maps if 'blas' in line.split()[-1]})
    except OSError:
        return []
