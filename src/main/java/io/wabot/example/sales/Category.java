package io.wabot.example.sales;

/** A group of items the customer can browse. */
public record Category(String id, LocalizedText name, LocalizedText description) {
}
