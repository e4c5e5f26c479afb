package dev.paint.shared.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parser and encoder of the JSON header of a safetensors file.
 *
 * <p>Parsing treats the header as untrusted and applies the rules of the safetensors reference implementation
 * (huggingface/safetensors, {@code SafeTensors::deserialize}): a JSON object, an optional {@code __metadata__}
 * map of strings, and per tensor a dtype, a shape and {@code data_offsets} whose byte count matches the shape.
 * Sorted by offset, the tensors must tile the data section exactly, without gaps or overlaps.
 */
final class SafetensorsHeader {

  static final String METADATA_KEY = "__metadata__";

  /** Multiple of bytes that the header is padded to with spaces, as the reference implementation does. */
  static final int HEADER_ALIGNMENT = 8;

  /** Reject duplicate keys and trailing content, which the reference implementation's JSON parser rejects too. */
  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private static final String REEXPORT_ADVICE = " Export the checkpoint again with a safetensors writer.";

  /** A tensor's spec and its byte range, relative to the start of the data section. */
  record Entry(TensorSpec spec, long begin, long end) {
  }

  private final Map<String, String> metadata;
  private final List<Entry> entries;

  private SafetensorsHeader(Map<String, String> metadata, List<Entry> entries) {
    this.metadata = metadata;
    this.entries = entries;
  }

  /** Returns the {@code __metadata__} map, empty when the header has none. */
  Map<String, String> metadata() {
    return metadata;
  }

  /** Returns the tensors in the order of their data in the file. */
  List<Entry> entries() {
    return entries;
  }

  /**
   * Parses and validates a header.
   *
   * @param file the file the header comes from, named in error messages
   * @param json the header bytes that follow the 8-byte length prefix
   * @param dataSectionLength the number of bytes after the header, which the tensors must cover exactly
   * @throws CheckpointFormatException when the header breaks any rule of the format
   */
  static SafetensorsHeader parse(Path file, byte[] json, long dataSectionLength) {
    ObjectNode root = parseObject(file, json);

    Map<String, String> metadata = Map.of();
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      if (field.getKey().equals(METADATA_KEY)) {
        metadata = parseMetadata(file, field.getValue());
      } else {
        entries.add(parseEntry(file, field.getKey(), field.getValue(), dataSectionLength));
      }
    }

    // A stable sort keeps header order among empty tensors that share an offset.
    entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    requireContiguous(file, entries, dataSectionLength);
    return new SafetensorsHeader(metadata, Collections.unmodifiableList(entries));
  }

  /**
   * Encodes the header for tensors laid out back to back in the given order, padded with spaces to a multiple
   * of {@value #HEADER_ALIGNMENT} bytes so that the data section starts aligned.
   *
   * @throws IllegalArgumentException when two tensors share a name or a tensor is named {@value #METADATA_KEY}
   */
  static byte[] encode(List<TensorSpec> specs, Map<String, String> metadata) {
    ObjectNode root = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode metadataNode = root.putObject(METADATA_KEY);
      metadata.forEach(metadataNode::put);
    }

    long offset = 0;
    for (TensorSpec spec : specs) {
      if (spec.name().equals(METADATA_KEY) || root.has(spec.name())) {
        throw new IllegalArgumentException("Tensor name '" + spec.name() + "' is "
            + (spec.name().equals(METADATA_KEY) ? "reserved for metadata" : "used twice")
            + "; give every tensor a unique name other than " + METADATA_KEY + ".");
      }
      long end = Math.addExact(offset, spec.byteSize());
      ObjectNode node = root.putObject(spec.name());
      node.put("dtype", spec.dtype().safetensorsName());
      ArrayNode shape = node.putArray("shape");
      Arrays.stream(spec.shape()).forEach(shape::add);
      node.putArray("data_offsets").add(offset).add(end);
      offset = end;
    }

    byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + HEADER_ALIGNMENT - 1) / HEADER_ALIGNMENT * HEADER_ALIGNMENT;
    byte[] header = Arrays.copyOf(json, padded);
    Arrays.fill(header, json.length, padded, (byte) ' ');
    return header;
  }

  private static ObjectNode parseObject(Path file, byte[] json) {
    if (json.length == 0 || json[0] != '{') {
      throw invalid(file, "header does not start with '{' (it is not a JSON object)."
          + " The file may not be a safetensors file." + REEXPORT_ADVICE);
    }
    JsonNode root;
    try {
      // Decoding first pins the encoding to UTF-8, as the format requires. Given raw bytes, Jackson would guess
      // UTF-16 or UTF-32 from a '{' followed by zero bytes.
      root = JSON.readTree(decodeUtf8(file, json));
    } catch (JsonProcessingException e) {
      throw new CheckpointFormatException("Invalid safetensors file " + file + ": header is not valid JSON ("
          + e.getOriginalMessage() + ")." + REEXPORT_ADVICE, e);
    }
    if (!(root instanceof ObjectNode object)) {
      throw invalid(file, "header is a JSON " + root.getNodeType() + ", not an object." + REEXPORT_ADVICE);
    }
    return object;
  }

  private static String decodeUtf8(Path file, byte[] json) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(json))
          .toString();
    } catch (CharacterCodingException e) {
      throw new CheckpointFormatException("Invalid safetensors file " + file + ": header is not valid UTF-8 ("
          + e + ")." + REEXPORT_ADVICE, e);
    }
  }

  private static Map<String, String> parseMetadata(Path file, JsonNode node) {
    if (!node.isObject()) {
      throw invalid(file, METADATA_KEY + " is a JSON " + node.getNodeType()
          + ", not an object of strings." + REEXPORT_ADVICE);
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      if (!field.getValue().isTextual()) {
        throw invalid(file, METADATA_KEY + " key '" + field.getKey() + "' has a " + field.getValue().getNodeType()
            + " value, but metadata values must be strings." + REEXPORT_ADVICE);
      }
      metadata.put(field.getKey(), field.getValue().textValue());
    }
    return Collections.unmodifiableMap(metadata);
  }

  private static Entry parseEntry(Path file, String name, JsonNode node, long dataSectionLength) {
    if (name.isEmpty()) {
      throw invalid(file, "a tensor has an empty name, but every tensor needs one." + REEXPORT_ADVICE);
    }
    if (!node.isObject()) {
      throw invalidTensor(file, name, "is a JSON " + node.getNodeType()
          + ", not an object with dtype, shape and data_offsets.");
    }
    DType dtype = parseDType(file, name, node.get("dtype"));
    long[] shape = parseNonNegativeLongs(file, name, "shape", node.get("shape"), -1);
    long[] offsets = parseNonNegativeLongs(file, name, "data_offsets", node.get("data_offsets"), 2);
    TensorSpec spec = new TensorSpec(name, dtype, shape);
    long begin = offsets[0];
    long end = offsets[1];

    if (begin > end) {
      throw invalidTensor(file, name, "has data_offsets [" + begin + ", " + end + "] that end before they begin.");
    }
    if (end > dataSectionLength) {
      throw invalid(file, "tensor '" + name + "' has data_offsets [" + begin + ", " + end
          + "] past the end of the data section, which is " + dataSectionLength
          + " bytes long. The file may be truncated; download or export it again.");
    }
    long expectedBytes = byteSizeOf(file, spec);
    if (end - begin != expectedBytes) {
      throw invalidTensor(file, name, "has data_offsets [" + begin + ", " + end + "] spanning " + (end - begin)
          + " bytes, but dtype " + dtype + " and shape " + Arrays.toString(shape) + " need "
          + expectedBytes + " bytes.");
    }
    return new Entry(spec, begin, end);
  }

  private static DType parseDType(Path file, String name, JsonNode node) {
    if (node == null || !node.isTextual()) {
      throw invalidTensor(file, name, "has no dtype string.");
    }
    try {
      return DType.fromSafetensorsName(node.textValue());
    } catch (CheckpointFormatException e) {
      throw invalidTensor(file, name, "has unsupported dtype '" + node.textValue() + "'; supported dtypes are "
          + DType.supportedNames() + ".");
    }
  }

  /** Parses an array of non-negative integers, of {@code requiredLength} elements unless that is negative. */
  private static long[] parseNonNegativeLongs(Path file, String name, String key, JsonNode node, int requiredLength) {
    if (node == null || !node.isArray()) {
      throw invalidTensor(file, name, "has no " + key + " array.");
    }
    if (requiredLength >= 0 && node.size() != requiredLength) {
      throw invalidTensor(file, name, "has " + key + " " + node + " with " + node.size()
          + " elements instead of " + requiredLength + ".");
    }
    long[] values = new long[node.size()];
    for (int i = 0; i < values.length; i++) {
      JsonNode element = node.get(i);
      if (!element.isIntegralNumber() || !element.canConvertToLong() || element.longValue() < 0) {
        throw invalidTensor(file, name, "has " + key + " " + node + " with element " + element
            + ", which is not a non-negative 64-bit integer.");
      }
      values[i] = element.longValue();
    }
    return values;
  }

  private static long byteSizeOf(Path file, TensorSpec spec) {
    try {
      return spec.byteSize();
    } catch (ArithmeticException e) {
      throw invalidTensor(file, spec.name(), "has shape " + Arrays.toString(spec.shape())
          + " whose byte size overflows a 64-bit integer.");
    }
  }

  private static void requireContiguous(Path file, List<Entry> sortedEntries, long dataSectionLength) {
    long expectedBegin = 0;
    String previous = null;
    for (Entry entry : sortedEntries) {
      if (entry.begin() > expectedBegin) {
        throw invalidTensor(file, entry.spec().name(), "begins at data offset " + entry.begin()
            + ", leaving a gap of " + (entry.begin() - expectedBegin) + " bytes after "
            + describePrevious(previous, expectedBegin) + "; tensors must be stored back to back.");
      }
      if (entry.begin() < expectedBegin) {
        throw invalidTensor(file, entry.spec().name(), "begins at data offset " + entry.begin()
            + ", overlapping " + describePrevious(previous, expectedBegin)
            + "; tensors must not share bytes.");
      }
      expectedBegin = entry.end();
      previous = entry.spec().name();
    }
    if (expectedBegin != dataSectionLength) {
      throw invalid(file, "the tensors cover " + expectedBegin + " bytes of the data section, but it is "
          + dataSectionLength + " bytes long; the remaining " + (dataSectionLength - expectedBegin)
          + " bytes belong to no tensor." + REEXPORT_ADVICE);
    }
  }

  private static String describePrevious(String previous, long previousEnd) {
    return previous == null
        ? "the start of the data section"
        : "tensor '" + previous + "', which ends at offset " + previousEnd;
  }

  private static CheckpointFormatException invalidTensor(Path file, String name, String problem) {
    return invalid(file, "tensor '" + name + "' " + problem + REEXPORT_ADVICE);
  }

  static CheckpointFormatException invalid(Path file, String problem) {
    return new CheckpointFormatException("Invalid safetensors file " + file + ": " + problem);
  }
}
