import LinearAlgebra

/// `kvbench blas-core`: the OpenBLAS kernel in use and who chose it; with `--suggest`, only the
/// `OPENBLAS_CORETYPE` value kvbench would set (empty when none), for test processes that
/// cannot re-execute themselves.
enum BlasCoreCommand {
    static let usage = "blas-core [--suggest]"

    static func run(_ arguments: inout Arguments) throws -> Int32 {
        let suggest = arguments.flag("--suggest")
        try arguments.finish()
        print(suggest ? BLASRuntime.suggestedCoreType ?? "" : BLASRuntime.coreDescription)
        return 0
    }
}
