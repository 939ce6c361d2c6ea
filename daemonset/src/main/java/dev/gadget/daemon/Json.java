package dev.gadget.daemon;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.gadget.gadgets.model.RunMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * JSON in and out of the daemon. Requests are read strictly (UTF-8 only, no unknown or repeated
 * fields, no numbers for strings or strings for numbers, nothing after the value, nesting bounded) and
 * every problem becomes one line that names the field; responses and stream messages are written by
 * one shared, thread-safe writer. Strings holding bytes that were not UTF-8 (see Text) come out as
 * \\udcXX escapes, which read back as the same string.
 */
final class Json {
    /** Deeper than any request of the protocol (a run request's container ids are 3 levels down). */
    static final int MAX_DEPTH = 16;

    private static final ObjectMapper MAPPER = mapper();
    private static final ObjectWriter MESSAGES = MAPPER.writerFor(RunMessage.class);

    private Json() {
    }

    /** One stream line: the message and its newline. */
    static byte[] line(RunMessage message) {
        try {
            byte[] json = MESSAGES.writeValueAsBytes(message);
            byte[] line = Arrays.copyOf(json, json.length + 1);
            line[json.length] = '\n';
            return line;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("writing a " + message.getClass().getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** A generator writing UTF-8 into {@code out}, as the shared writer does. */
    static JsonGenerator generator(OutputStream out) throws IOException {
        return MAPPER.getFactory().createGenerator(out);
    }

    /** A response body. */
    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("writing " + value.getClass().getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** A request body as a {@code type}, or a 400 naming what is wrong with it. */
    static <T> T read(byte[] body, Class<T> type) {
        if (body.length == 0) {
            throw ApiError.badRequest("the body is empty: send a " + type.getSimpleName() + " as JSON (see docs/protocol.md)");
        }
        String text = utf8(body);
        if (text.startsWith("\uFEFF")) {
            throw ApiError.badRequest("the body starts with a byte order mark (EF BB BF): send UTF-8 JSON without one");
        }
        try {
            // The whole document first (syntax, depth, repeated fields), then its meaning.
            JsonNode document = MAPPER.readTree(text);
            if (!document.isObject()) {
                throw ApiError.badRequest("the body is " + (document.isMissingNode() ? "only white space" : "not a JSON object")
                        + ": send a " + type.getSimpleName() + " (see docs/protocol.md)");
            }
            return MAPPER.treeToValue(document, type);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest(describe(e, type));
        }
    }

    private static String utf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(body.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw ApiError.badRequest("the body is not UTF-8 (byte 0x" + HexFormat.of().toHexDigits(body[in.position()])
                    + " at offset " + in.position() + "): send JSON encoded as UTF-8");
        }
        return out.flip().toString();
    }

    private static String describe(JsonProcessingException e, Class<?> type) {
        String original = firstLine(e.getOriginalMessage());
        if (original.startsWith("Duplicate field") && e.getProcessor() instanceof JsonParser parser) {
            return path(parser.getParsingContext()) + " is given twice" + location(e.getLocation()) + ": give each field once";
        }
        return switch (e) {
            case StreamConstraintsException deep -> "the JSON is nested deeper than " + MAX_DEPTH
                    + " levels: send a " + type.getSimpleName() + " as docs/protocol.md shows";
            case UnrecognizedPropertyException unknown -> "unknown field '" + at(unknown, unknown.getPropertyName())
                    + "': " + where(unknown) + "takes " + known(unknown.getKnownPropertyIds());
            case InvalidTypeIdException badType -> at(badType, "type") + ": "
                    + (badType.getTypeId() == null ? "missing" : "'" + badType.getTypeId() + "' is not known")
                    + ": give one of " + typeIds(badType.getBaseType().getRawClass());
            case ValueInstantiationException invalid -> instantiation(invalid);
            case MismatchedInputException mismatch when mismatch.getPath().isEmpty() ->
                    firstLine(mismatch.getOriginalMessage()).startsWith("Trailing token")
                            ? "malformed JSON" + location(e.getLocation()) + ": more follows the JSON value: send one"
                            : "the body is not a JSON object: send a " + type.getSimpleName() + " (see docs/protocol.md)";
            case InvalidFormatException format when format.getTargetType() != null ->
                    path(format) + ": takes " + kind(format.getTargetType()) + ", not " + format.getValue();
            case JsonMappingException mapping when !mapping.getPath().isEmpty() && original.startsWith("Numeric value") ->
                    path(mapping) + ": takes a whole number, and this one is out of range";
            case MismatchedInputException mismatch when mismatch.getTargetType() != null ->
                    path(mismatch) + ": takes " + kind(mismatch.getTargetType());
            case JsonMappingException mapping when !mapping.getPath().isEmpty() ->
                    path(mapping) + ": " + firstLine(mapping.getOriginalMessage());
            default -> "malformed JSON" + location(e.getLocation()) + ": " + original + "; send one JSON object"
                    + " (see docs/protocol.md)";
        };
    }

    /** Where the parser is, as a field path: containers.containerIds[2]. */
    private static String path(JsonStreamContext context) {
        List<String> segments = new ArrayList<>();
        for (JsonStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
            segments.addFirst(at.inArray() ? "[" + at.getCurrentIndex() + "]" : at.getCurrentName());
        }
        StringBuilder path = new StringBuilder();
        for (String segment : segments) {
            path.append(path.isEmpty() || segment.startsWith("[") ? "" : ".").append(segment);
        }
        return path.toString();
    }

    /** A record's constructor refused the values: its message names the field and the fix. */
    private static String instantiation(ValueInstantiationException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        String prefix = e.getPath().isEmpty() ? "" : path(e) + ": ";
        if (cause instanceof NullPointerException) {
            return prefix + (cause.getMessage() == null ? "a value is null: give it, or leave the field out"
                    : cause.getMessage() + " is missing: give it (see docs/protocol.md)");
        }
        return prefix + firstLine(cause.getMessage());
    }

    private static String at(JsonMappingException e, String field) {
        String parent = path(e);
        return parent.isEmpty() ? field : parent + "." + field;
    }

    private static String where(JsonMappingException e) {
        String parent = path(e);
        return parent.isEmpty() ? "the request " : parent + " ";
    }

    /** The field a problem is at, e.g. containers.names[2]; the last reference is the field itself. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        var references = e.getPath();
        int end = e instanceof UnrecognizedPropertyException ? references.size() - 1 : references.size();
        for (int i = 0; i < end; i++) {
            JsonMappingException.Reference reference = references.get(i);
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String known(Collection<Object> ids) {
        return ids.isEmpty() ? "no fields" : ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }

    private static String typeIds(Class<?> base) {
        JsonSubTypes subtypes = base.getAnnotation(JsonSubTypes.class);
        return subtypes == null ? "a known type" : Arrays.stream(subtypes.value()).map(JsonSubTypes.Type::name)
                .collect(Collectors.joining(", "));
    }

    private static String kind(Class<?> target) {
        if (target == String.class) {
            return "a string";
        }
        if (target == long.class || target == Long.class || target == int.class || target == Integer.class) {
            return "a whole number";
        }
        if (Map.class.isAssignableFrom(target)) {
            return "an object of strings";
        }
        if (Collection.class.isAssignableFrom(target)) {
            return "an array of strings";
        }
        return "an object";
    }

    private static String location(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** Jackson's messages may go on over lines, quote the input, or point into it: one line of sane length. */
    private static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "invalid";
        }
        String line = message.lines().findFirst().orElse("").strip();
        for (String reference : new String[] {" (start marker at", " at [Source"}) {
            if (line.contains(reference)) {
                line = line.substring(0, line.indexOf(reference));
            }
        }
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private static ObjectMapper mapper() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        return JsonMapper.builder(factory)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .withCoercionConfig(LogicalType.Textual, strings -> strings
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .build();
    }
}
