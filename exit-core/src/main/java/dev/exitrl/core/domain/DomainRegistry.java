package dev.exitrl.core.domain;

import dev.exitrl.core.domain.countdown.CountdownDomain;
import dev.exitrl.core.domain.math.MathDomain;
import dev.exitrl.core.domain.mle.MleDomain;
import dev.exitrl.core.domain.tooluse.ToolUseDomain;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Domains by id. {@link #builtIn()} holds {@code math}, {@code countdown}, {@code tool-use} and {@code mle}; {@link #load()} adds every
 * {@link Domain} listed in {@code META-INF/services/dev.exitrl.core.domain.Domain} on the class path.
 */
public final class DomainRegistry {
    private final Map<String, Domain> domains;

    private DomainRegistry(Map<String, Domain> domains) {
        this.domains = Collections.unmodifiableMap(domains);
    }

    /** A registry of exactly these domains. @throws IllegalArgumentException on two domains with one id */
    public static DomainRegistry of(Collection<? extends Domain> domains) {
        Map<String, Domain> byId = new LinkedHashMap<>();
        for (Domain d : domains) {
            Domain previous = byId.putIfAbsent(d.id(), d);
            if (previous != null) {
                throw new IllegalArgumentException("two domains with id '" + d.id() + "': "
                        + previous.getClass().getName() + " and " + d.getClass().getName());
            }
        }
        return new DomainRegistry(byId);
    }

    /** The built-in domains only. */
    public static DomainRegistry builtIn() {
        return of(builtIns());
    }

    /** The built-ins plus every domain the {@link ServiceLoader} finds with this class's class loader. */
    public static DomainRegistry load() {
        return load(DomainRegistry.class.getClassLoader());
    }

    /**
     * {@link #load()} done once per JVM: the class path does not change, so code that needs the domains on a hot
     * path asks here instead of scanning with the ServiceLoader again.
     */
    public static DomainRegistry standard() {
        return Standard.REGISTRY;
    }

    private static final class Standard {
        static final DomainRegistry REGISTRY = load();
    }

    public static DomainRegistry load(ClassLoader loader) {
        List<Domain> all = new ArrayList<>(builtIns());
        ServiceLoader.load(Domain.class, loader).forEach(all::add);
        return of(all);
    }

    private static List<Domain> builtIns() {
        return List.of(new MathDomain(), new CountdownDomain(), new ToolUseDomain(), new MleDomain());
    }

    /** @throws UnknownDomainException when no domain has this id; its message lists the known ids */
    public Domain get(String id) {
        Domain domain = domains.get(id);
        if (domain == null) {
            throw new UnknownDomainException(id, domains.keySet());
        }
        return domain;
    }

    public Optional<Domain> find(String id) {
        return Optional.ofNullable(domains.get(id));
    }

    /** The registered ids, built-ins first. */
    public Set<String> ids() {
        return domains.keySet();
    }

    public Collection<Domain> all() {
        return domains.values();
    }
}
