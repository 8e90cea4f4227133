import Foundation

/// Turns configuration text into a `RoostConfiguration`, stopping at the first error.
///
/// Starts from the built-in defaults and applies each `key = value` in file order, so a
/// missing key keeps its default. Stopping at the first error keeps messages precise: later
/// lines may only be wrong because of an earlier one (e.g. after a misspelt section header).
struct ConfigParser {
    private let fileName: String
    private var configuration = RoostConfiguration.defaults
    private var section: String?
    /// Line on which each qualified key was set, for duplicate and constraint reports.
    private var setOnLine: [String: Int] = [:]

    init(fileName: String) {
        self.fileName = fileName
    }

    /// Parses decoded text. Lines end with LF or CRLF; a leading byte-order mark is ignored.
    static func parse(text: String, fileName: String) throws(ConfigError) -> RoostConfiguration {
        var parser = ConfigParser(fileName: fileName)
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        if let first = lines.first, first.first == "\u{FEFF}" {
            lines[0] = first.dropFirst()
        }
        for (offset, rawLine) in lines.enumerated() {
            var line = rawLine
            if line.last == "\r" { line = line.dropLast() }
            try parser.consume(Substring.UnicodeScalarView(line), lineNumber: offset + 1)
        }
        return try parser.finish()
    }

    /// Decodes bytes as strict UTF-8 before parsing, naming the first line that is not.
    static func parse(data: Data, fileName: String) throws(ConfigError) -> RoostConfiguration {
        if let text = String(validating: data, as: UTF8.self) {
            return try parse(text: text, fileName: fileName)
        }
        let lineNumber = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .firstIndex(where: { String(validating: $0, as: UTF8.self) == nil })
            .map { $0 + 1 }
        throw ConfigError(kind: .invalidEncoding, fileName: fileName, line: lineNumber, key: nil,
                          message: "file is not valid UTF-8")
    }

    private mutating func consume(_ line: Substring.UnicodeScalarView, lineNumber: Int) throws(ConfigError) {
        let lexed: ConfigLine
        do {
            lexed = try ConfigLine.lex(line)
        } catch {
            throw failure(.syntax, lineNumber, key: nil, error.message)
        }
        switch lexed {
        case .blank:
            return
        case .section(let name):
            guard ConfigSchema.sections.contains(name) else {
                let known = ConfigSchema.sections.joined(separator: ", ")
                throw failure(.unknownSection, lineNumber, key: nil, "unknown section [\(name)]; known sections are \(known)")
            }
            section = name
        case .assignment(let name, let value):
            try assign(name: name, value: value, lineNumber: lineNumber)
        }
    }

    private mutating func assign(name: String, value: String, lineNumber: Int) throws(ConfigError) {
        guard let section else {
            var message = "key \"\(name)\" appears before any [section] header"
            if let home = ConfigSchema.keys.first(where: { $0.name == name }) {
                message += "; it belongs in [\(home.section)]"
            }
            throw failure(.keyOutsideSection, lineNumber, key: name, message)
        }
        let qualified = "\(section).\(name)"
        guard let key = ConfigSchema.key(section: section, name: name) else {
            var message = "unknown key"
            if let suggestion = ConfigSchema.suggestion(section: section, name: name) {
                message += "; did you mean \(suggestion)?"
            }
            throw failure(.unknownKey, lineNumber, key: qualified, message)
        }
        if let first = setOnLine[qualified] {
            throw failure(.duplicateKey, lineNumber, key: qualified, "duplicate key; already set on line \(first)")
        }
        do {
            try key.apply(value, to: &configuration)
        } catch {
            var message = "expected \(key.type.expectation), got \(ConfigLine.quoted(value, always: true))"
            if let reason = error.reason { message += " (\(reason))" }
            throw failure(.invalidValue, lineNumber, key: qualified, message)
        }
        setOnLine[qualified] = lineNumber
    }

    /// Checks rules between keys once every line is in.
    private func finish() throws(ConfigError) -> RoostConfiguration {
        for constraint in ConfigSchema.constraints where !constraint.holds(configuration) {
            let culprit = constraint.keys
                .compactMap { name in setOnLine[name].map { (name, $0) } }
                .max(by: { $0.1 < $1.1 })
            throw ConfigError(kind: .inconsistentValues, fileName: fileName, line: culprit?.1,
                              key: culprit?.0, message: constraint.message)
        }
        return configuration
    }

    private func failure(_ kind: ConfigError.Kind, _ line: Int, key: String?, _ message: String) -> ConfigError {
        ConfigError(kind: kind, fileName: fileName, line: line, key: key, message: message)
    }
}
