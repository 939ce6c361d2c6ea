package dev.gadget.cli.kubectl;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * JSON of the daemon protocol (docs/protocol.md), as a client of version 1 reads it: members it does
 * not know are ignored, so a newer daemon that adds some still works with this plugin.
 */
final class Wire {
    static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Wire() {
    }
}
