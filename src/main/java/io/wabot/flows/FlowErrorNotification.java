package io.wabot.flows;

/**
 * Meta's client telling the endpoint that an earlier answer could not be used (a screen that does not
 * exist, data that does not match the screen's declaration...). The endpoint acknowledges it whatever
 * the handler does; the handler may record it.
 *
 * @param screen  the screen the customer was on, or null
 * @param error   Meta's error key, e.g. {@code invalid-screen-transition}
 * @param message Meta's description of it
 * @param token   the flow's token (checked like any other request's)
 */
public record FlowErrorNotification(String screen, String error, String message, FlowToken token) {
}
