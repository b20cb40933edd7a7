import Foundation

extension DecodingError {
    /// What went wrong, without any wording, so that each reader (suite files, results files)
    /// can phrase it for its own kind of document.
    enum Problem {
        /// A required key is absent; the key is the last element of the path.
        case missingKey
        /// A value of the wrong JSON type where `type` was expected.
        case typeMismatch(Any.Type)
        /// `null` where a value of `type` was expected.
        case nullValue(Any.Type)
        /// The input is not valid (JSON, or a value rejected while decoding); the context's message.
        case corrupted(String)
        /// A case added to `DecodingError` after this was written; the path is empty.
        case unknown
    }

    /// Where decoding failed and what went wrong. For a missing key the path ends with that key.
    var location: (path: [any CodingKey], problem: Problem) {
        switch self {
        case .keyNotFound(let key, let context): return (context.codingPath + [key], .missingKey)
        case .typeMismatch(let type, let context): return (context.codingPath, .typeMismatch(type))
        case .valueNotFound(let type, let context): return (context.codingPath, .nullValue(type))
        case .dataCorrupted(let context): return (context.codingPath, .corrupted(context.debugDescription))
        @unknown default: return ([], .unknown)
        }
    }
}

extension Array where Element == any CodingKey {
    /// The path in the usual JSON notation, e.g. `rows[2].nll_drift`; empty for the top level.
    var jsonPath: String {
        var text = ""
        for key in self {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text
    }
}
