import CBLAS

/// OpenBLAS kernel selection and threading (owned by the inference-core work; see issue 2).
public enum BLASRuntime {
    /// Re-executes the process with a better `OPENBLAS_CORETYPE` when OpenBLAS fell back to a
    /// generic kernel on a CPU with AVX-512/AVX2. Placeholder until implemented.
    public static func ensureOptimalCore() {}
}
