import CCrypt

/// Thin, thread-safe wrapper over libxcrypt's `crypt_r` and `crypt_gensalt_rn`.
///
/// Edge cases this type owns:
/// - `struct crypt_data` is 32 KiB, too big for a thread stack we do not control, so it is heap
///   allocated and zeroed for every call (libxcrypt requires zeroed `internal` state on first use).
/// - libxcrypt signals failure by returning a string starting with `*` (`*0`/`*1`), never a valid
///   hash, and may also return NULL; both are failures here.
/// - C strings end at NUL: a passphrase with a NUL byte cannot be hashed faithfully, so it never
///   matches instead of being silently truncated.
/// - Passphrases longer than `CRYPT_MAX_PASSPHRASE_SIZE - 1` bytes are refused by libxcrypt.
enum LibXCrypt {
    /// Longest passphrase libxcrypt accepts, in bytes.
    static let maxPassphraseLength = Int(CRYPT_MAX_PASSPHRASE_SIZE) - 1

    enum Failure: Error, Equatable {
        /// The passphrase has a NUL byte or is longer than `maxPassphraseLength`.
        case unusablePassphrase
        /// libxcrypt rejected the setting (unknown or malformed hash prefix, bad cost).
        case invalidSetting
    }

    /// Hashes `passphrase` with `setting` (a full stored hash or a salt string from `makeSetting`).
    static func crypt(passphrase: [UInt8], setting: String) throws(Failure) -> String {
        guard passphrase.count <= maxPassphraseLength, !passphrase.contains(0) else {
            throw .unusablePassphrase
        }
        guard !setting.utf8.contains(0) else { throw .invalidSetting }
        let size = MemoryLayout<crypt_data>.size
        let data = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: MemoryLayout<crypt_data>.alignment)
        data.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        defer {
            // The structure holds intermediate key material: wipe it before freeing.
            data.initializeMemory(as: UInt8.self, repeating: 0, count: size)
            data.deallocate()
        }
        let typed = data.bindMemory(to: crypt_data.self, capacity: 1)
        let phrase = passphrase.map { CChar(bitPattern: $0) } + [0]
        let result: String? = phrase.withUnsafeBufferPointer { phrasePointer in
            setting.withCString { settingPointer in
                guard let output = crypt_r(phrasePointer.baseAddress, settingPointer, typed) else { return nil }
                return String(cString: output)
            }
        }
        guard let result, !result.hasPrefix("*") else { throw .invalidSetting }
        return result
    }

    /// Makes a fresh setting (method prefix, cost, random salt) for `prefix` such as `$y$` or `$6$`.
    ///
    /// `count` 0 asks libxcrypt for its default cost for that method; random bytes come from the
    /// operating system because `rbytes` is NULL.
    static func makeSetting(prefix: String, count: UInt = 0) throws(Failure) -> String {
        var output = [CChar](repeating: 0, count: Int(CRYPT_GENSALT_OUTPUT_SIZE))
        let result: String? = prefix.withCString { prefixPointer in
            output.withUnsafeMutableBufferPointer { buffer in
                guard let pointer = crypt_gensalt_rn(prefixPointer, count, nil, 0, buffer.baseAddress, Int32(buffer.count))
                else { return nil }
                return String(cString: pointer)
            }
        }
        guard let result, !result.hasPrefix("*") else { throw .invalidSetting }
        return result
    }

    /// The method libxcrypt would choose for new hashes (`$y$` on Debian 12).
    static var preferredMethod: String? {
        guard let method = crypt_preferred_method() else { return nil }
        return String(cString: method)
    }
}
