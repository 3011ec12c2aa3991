package dev.exitrl.core.domain.tooluse;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stateful, deterministic API (file system, messaging, ticketing). An instance is loaded from a scenario config,
 * changes only through {@link #invoke}, and exposes its public state as a JSON value that the checker compares with
 * the ground truth's. Private state (a working directory, a login) stays out of {@link #state()}, as BFCL leaves
 * out attributes whose names start with an underscore.
 */
interface ToolModule {
    /** The module's id in scenarios and in the checker's messages ({@code filesystem}, ...). */
    String name();

    List<ToolFunction> functions();

    /**
     * Runs one call whose arguments already fit the function's schema.
     *
     * @return the result as the model sees it (a JSON object as text)
     * @throws ToolError when the call fails (the environment reports it as an error result)
     */
    String invoke(String function, JsonNode args) throws ToolError;

    /** The public state, a fresh JSON value; two instances are in the same state iff their states are equal. */
    ObjectNode state();
}
