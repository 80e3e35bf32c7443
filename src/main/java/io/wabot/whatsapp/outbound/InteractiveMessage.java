package io.wabot.whatsapp.outbound;

/** A message of the Cloud API's {@code interactive} type; {@code content()} is its {@code interactive} object. */
public sealed interface InteractiveMessage extends OutboundMessage
    permits CtaUrlMessage, LocationRequestMessage, AddressMessage, CarouselMessage, ProductMessage, ProductListMessage, CatalogMessage {

  @Override
  default String type() {
    return "interactive";
  }
}
