import Foundation
import LinearAlgebra
import Testing

@Suite("VectorMath")
struct VectorMathTests {
    @Test("exp agrees with the C library to 4e-7 relative over the range softmax uses")
    func exponential() {
        var x: Float = -87
        while x <= 88 {
            let ours = VectorMath.exp(x), library = Foundation.exp(Double(x))
            #expect(abs(Double(ours) / library - 1) < 4e-7, "exp(\(x)) = \(ours), library \(library)")
            x += 0.173
        }
        #expect(VectorMath.exp(0) == 1)
        // Clamped outside the range: finite, never NaN.
        #expect(VectorMath.exp(-1000) >= 0 && VectorMath.exp(-1000) < 1e-37)
        #expect(VectorMath.exp(1000).isFinite)
    }

    @Test("maximum finds the largest element at any position and length")
    func maximum() {
        for count in [1, 7, 8, 9, 31, 100] {
            for position in 0 ..< count {
                var values = (0 ..< count).map { Float($0 % 5) - 10 }
                values[position] = 3
                #expect(values.withUnsafeBufferPointer { VectorMath.maximum($0.baseAddress!, count) } == 3)
            }
        }
    }

    @Test("masked softmax: visible part sums to 1 with the closed-form ratios, the rest is 0")
    func maskedSoftmax() {
        var row: [Float] = [0, Float(log(3.0)), 5, 7]
        row.withUnsafeMutableBufferPointer { VectorMath.maskedSoftmax($0.baseAddress!, visible: 2, count: 4) }
        #expect(abs(row[0] - 0.25) < 1e-6 && abs(row[1] - 0.75) < 1e-6)
        #expect(row[2] == 0 && row[3] == 0)
        var hidden: [Float] = [1, 2]
        hidden.withUnsafeMutableBufferPointer { VectorMath.maskedSoftmax($0.baseAddress!, visible: 0, count: 2) }
        #expect(hidden == [0, 0])
    }

    @Test("log-sum-exp is exact for equal entries and stable for large ones")
    func logSumExp() {
        let values = [Float](repeating: 1000, count: 49152)
        var scratch = [Float](repeating: 0, count: values.count)
        let result = values.withUnsafeBufferPointer { x in
            scratch.withUnsafeMutableBufferPointer { VectorMath.logSumExp(x.baseAddress!, x.count, scratch: $0.baseAddress!) }
        }
        #expect(abs(result - (1000 + log(49152.0))) < 1e-4)
    }
}
