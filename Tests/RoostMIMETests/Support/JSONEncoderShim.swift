import Foundation

/// JSON round trips for the Codable checks (the storage layer caches parsed values this way).
enum JSONEncoderShim {
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        try JSONEncoder().encode(value)
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try JSONDecoder().decode(type, from: data)
    }
}
