import Foundation

/// `Fixtures/reference-token-ids.json`: llama.cpp's token ids for each corpus file.
struct ReferenceTokenIDs: Decodable {
    struct Text: Decodable {
        let file: String
        let sha256: String
        let bytes: Int
        let token_ids: [Int32]
    }

    let model_sha256: String
    let texts: [Text]

    static func load() throws -> ReferenceTokenIDs {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestFiles.fixturePath("reference-token-ids.json")))
        return try JSONDecoder().decode(ReferenceTokenIDs.self, from: data)
    }
}
