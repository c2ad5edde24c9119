package dev.berth.daemon.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The route table. Templates use moby's notation: {@code {id}} is one path segment,
 * {@code {id:.+}} / {@code {id:.*}} capture across slashes. Routes match in the order added,
 * so fixed paths ({@code /networks/create}) go before patterns that would swallow them.
 */
final class Routes {
    private static final Pattern PARAMETER = Pattern.compile("\\{[a-zA-Z]+(:([^}]*))?}");

    private final List<Route> routes = new ArrayList<>();

    /** A registered route; {@code path} is the template as compiled to a regular expression. */
    record Route(String method, String template, Pattern path, Endpoint endpoint) {
    }

    /** A route that matched, with its template ({@code /networks/{id}}) and captured path parameters. */
    record Match(Endpoint endpoint, String template, List<String> parameters) {
    }

    Routes add(String method, String template, Endpoint endpoint) {
        routes.add(new Route(method, template, compile(template), endpoint));
        return this;
    }

    /** The first route matching method and (unversioned) path. */
    Optional<Match> find(String method, String path) {
        for (Route route : routes) {
            if (!route.method().equals(method)) {
                continue;
            }
            Matcher matcher = route.path().matcher(path);
            if (matcher.matches()) {
                List<String> parameters = new ArrayList<>();
                for (int i = 1; i <= matcher.groupCount(); i++) {
                    parameters.add(matcher.group(i));
                }
                return Optional.of(new Match(route.endpoint(), route.template(), parameters));
            }
        }
        return Optional.empty();
    }

    private static Pattern compile(String template) {
        StringBuilder regex = new StringBuilder();
        Matcher matcher = PARAMETER.matcher(template);
        int last = 0;
        while (matcher.find()) {
            regex.append(Pattern.quote(template.substring(last, matcher.start())));
            String custom = matcher.group(2);
            regex.append('(').append(custom == null ? "[^/]+" : custom.replace("(", "(?:")).append(')');
            last = matcher.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        return Pattern.compile(regex.toString());
    }
}
