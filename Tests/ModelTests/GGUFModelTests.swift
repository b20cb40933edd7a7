import Foundation
import LinearAlgebra
import Model
import Testing

/// The real model file (installed by `scripts/setup.sh`): its layout and every tensor it uses.
@Suite("GGUF reader: SmolLM2-135M-Instruct Q4_1")
struct GGUFModelTests {
    private func model() throws -> GGUFFile {
        try GGUFFile(path: try TestFiles.requireExisting(TestFiles.modelPath))
    }

    @Test func headerAndMetadata() throws {
        let file = try model()
        #expect(file.version == 3)
        #expect(try file.string("general.architecture") == "llama")
        #expect(try file.int("llama.block_count") == 30)
        #expect(try file.int("llama.embedding_length") == 576)
        #expect(try file.int("llama.attention.head_count") == 9)
        #expect(try file.int("llama.attention.head_count_kv") == 3)
        #expect(try file.float("llama.rope.freq_base") == 100_000)
        #expect(try file.string("tokenizer.ggml.pre") == "smollm")
        #expect(try file.stringArray("tokenizer.ggml.tokens").count == 49152)
        #expect(file.tensors.count == 272)  // 30 blocks × 9 + token_embd + output_norm
    }

    @Test func linearWeightsAreOutputByInput() throws {
        let file = try model()
        let q = try file.tensor("blk.0.attn_q.weight"), up = try file.tensor("blk.0.ffn_up.weight")
        #expect(q.type == .q4_1 && q.dims == [576, 576])
        #expect(up.dims == [576, 1536])
        let upMatrix = try file.dequantize("blk.0.ffn_up.weight")
        #expect((upMatrix.rows, upMatrix.cols) == (1536, 576))
        let embedding = try file.tensor("token_embd.weight")
        #expect(embedding.type == .q8_0 && embedding.rows == 49152 && embedding.cols == 576)
        #expect(try file.tensor("output_norm.weight").type == .f32)
    }

    /// Every tensor dequantises to finite values; the f32 norms are copied bit for bit.
    @Test func everyTensorDequantisesToFiniteValues() throws {
        let file = try model()
        let start = Date()
        var elements = 0
        for name in file.tensorNames {
            let matrix = try file.dequantize(name)
            elements += matrix.storage.count
            #expect(matrix.storage.allSatisfy { $0.isFinite }, "\(name)")
        }
        print("GGUFModelTests: dequantised \(file.tensorNames.count) tensors, \(elements) weights in \(String(format: "%.3f", Date().timeIntervalSince(start))) s (including the finiteness check)")
        #expect(elements > 134_000_000 && elements < 136_000_000)
        let raw = try file.data("output_norm.weight")
        let stored = (0 ..< 576).map { Float(bitPattern: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)) }
        #expect(try file.dequantize("output_norm.weight").storage == stored)
    }
}
