import Foundation

/// `Fixtures/reference-token-ids.json`: llama.cpp's token ids for each corpus file.
struct ReferenceTokenIDs: Decodable {
    struct Text: Decodable {
        let file: String
        let sha256: String
        let bytes: Int
        let tokenIDs: [Int32]

        enum CodingKeys: String, CodingKey {
            case file, sha256, bytes
            case tokenIDs = "token_ids"
        }
    }

    let texts: [Text]

    static func load() throws -> ReferenceTokenIDs {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestFiles.fixturePath("reference-token-ids.json")))
        return try JSONDecoder().decode(ReferenceTokenIDs.self, from: data)
    }
}
