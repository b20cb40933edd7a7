import Foundation
import KVCompression
import LinearAlgebra

/// On-disk cache of `prepare`'s shared state, so that a weight-derived projection or a
/// calibrated basis is computed once per model, calibration text and configuration.
///
/// The key hashes the running build (the kvbench executable's SHA-256, so a changed `prepare` is
/// never served an old state), the compressor type, the canonical configuration spec, the
/// model's SHA-256, the calibration text's identity (hash, byte range, token budget), the window
/// and the key space. Every rebuild therefore leaves the previous build's files behind; the
/// folder (`$KVBENCH_STATE_DIR/shared`, default `~/.cache/kvbench/state/shared`) can be deleted at any
/// time.
public struct SharedStateStore: Sendable {
    /// Folder holding one `.kvstate` file per key.
    public var folder: String

    public init(folder: String = CacheFolders.state + "/shared") {
        self.folder = folder
    }

    /// The file name for a key made of the given parts.
    public static func key(_ parts: [String]) -> String {
        SHA256.hex(Array(parts.joined(separator: "\u{1F}").utf8))
    }

    /// The cached state for `key`, or `nil` when absent or unreadable (then it is recomputed).
    public func load(key: String) -> SharedState? {
        guard let data = FileManager.default.contents(atPath: path(key)) else { return nil }
        return Self.decode([UInt8](data))
    }

    /// Stores `state` under `key`, atomically.
    public func save(_ state: SharedState, key: String) throws {
        try AtomicFile.write(Data(Self.encode(state)), to: path(key))
    }

    private func path(_ key: String) -> String { folder + "/" + key + ".kvstate" }

    private static let magic: [UInt8] = Array("KVBSTATE1".utf8)

    /// Layout: magic, matrix count, then per matrix (sorted by name): name length, UTF-8 name,
    /// rows, cols (each UInt32 little-endian), and rows·cols Float32 little-endian values.
    static func encode(_ state: SharedState) -> [UInt8] {
        var bytes = magic
        func put(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        put(UInt32(state.matrices.count))
        for name in state.matrices.keys.sorted() {
            let matrix = state.matrices[name]!
            let utf8 = Array(name.utf8)
            put(UInt32(utf8.count))
            bytes.append(contentsOf: utf8)
            put(UInt32(matrix.rows))
            put(UInt32(matrix.cols))
            for value in matrix.storage { put(value.bitPattern) }
        }
        return bytes
    }

    static func decode(_ bytes: [UInt8]) -> SharedState? {
        guard bytes.starts(with: magic) else { return nil }
        var offset = magic.count
        func get() -> UInt32? {
            guard bytes.count - offset >= 4 else { return nil }
            defer { offset += 4 }
            return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
        }
        guard let count = get() else { return nil }
        var matrices: [String: Matrix] = [:]
        for _ in 0 ..< count {
            guard let length = get().map(Int.init), bytes.count - offset >= length,
                  let name = String(validating: bytes[offset ..< offset + length], as: UTF8.self) else { return nil }
            offset += length
            guard let rows = get().map(Int.init), let cols = get().map(Int.init),
                  rows.multipliedReportingOverflow(by: cols).overflow == false,
                  (bytes.count - offset) / 4 >= rows * cols else { return nil }
            var storage = [Float](repeating: 0, count: rows * cols)
            for i in storage.indices { storage[i] = Float(bitPattern: get()!) }
            matrices[name] = Matrix(rows: rows, cols: cols, storage: storage)
        }
        return offset == bytes.count ? SharedState(matrices: matrices) : nil
    }
}
