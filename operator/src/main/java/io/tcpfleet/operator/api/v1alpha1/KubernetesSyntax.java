package io.tcpfleet.operator.api.v1alpha1;

/**
 * What the API server and the kubelet accept in the children's fields, as schema patterns and CEL rules, so
 * a TcpService they would refuse downstream is refused at admission instead (apimachinery's
 * IsDNS1035Label, IsQualifiedName, IsValidLabelValue, ValidateAnnotations; the image reference grammar of
 * distribution/reference). Regular expressions avoid backslashes: CEL string literals would need them
 * doubled. Only CEL libraries of Kubernetes 1.28 are used (quantity is the newest).
 */
public final class KubernetesSyntax {

    /** The longest TcpService name: the metrics Service, {@code <name>-metrics}, is a DNS-1035 label (63). */
    public static final int MAX_NAME_LENGTH = 55; // 63 - "-metrics".length(), as a compile-time constant

    /** DNS-1035 label: a Service name. */
    static final String DNS_1035_LABEL = "^[a-z]([-a-z0-9]*[a-z0-9])?$";

    /** A DNS name (labels of at most 63 characters) or an IPv4 address. */
    public static final String HOST =
            "^[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?([.][a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)*$";

    public static final String NAME_RULE = "self.metadata.name.size() <= " + MAX_NAME_LENGTH
            + " && self.metadata.name.matches('" + DNS_1035_LABEL + "')";
    public static final String NAME_MESSAGE = "metadata.name must be a DNS-1035 label of at most " + MAX_NAME_LENGTH
            + " characters (lower-case letters, digits and '-', starting with a letter): it names the Services,"
            + " and <name>-metrics must fit 63 characters";

    /** Qualified name (label key): an optional DNS subdomain prefix and '/', then a name of at most 63. */
    static final String LABEL_KEY = "^([a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
            + "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";
    /** Annotation keys are checked as qualified names after lower-casing, so the prefix may be upper case. */
    private static final String ANNOTATION_KEY =
            "^([A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?([.][A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*/)?"
                    + "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";
    /** The prefix (before '/') is at most 253 characters. */
    private static final String PREFIX_BOUND = "(!k.contains('/') || k.indexOf('/') <= 253)";

    public static final String LABEL_KEYS_RULE = "self.all(k, k.matches('" + LABEL_KEY + "') && " + PREFIX_BOUND + ")";
    public static final String LABEL_KEYS_MESSAGE =
            "keys must be qualified names: an optional DNS subdomain prefix and '/', then at most 63 letters,"
                    + " digits, '-', '_' or '.', starting and ending with a letter or digit";
    public static final String LABEL_VALUES_RULE =
            "self.all(k, self[k].size() <= 63 && self[k].matches('^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$'))";
    public static final String LABEL_VALUES_MESSAGE = "values must be label values: at most 63 letters, digits,"
            + " '-', '_' or '.', starting and ending with a letter or digit, or empty";

    public static final String ANNOTATION_KEYS_RULE =
            "self.all(k, k.matches('" + ANNOTATION_KEY + "') && " + PREFIX_BOUND + ")";

    /**
     * The API server refuses annotations of more than 256 KiB in all, keys and values counted. The pod
     * template also carries the operator's tcpfleet.io/config-hash, so pods get 1 KiB less.
     */
    public static final String SERVICE_ANNOTATIONS_SIZE_RULE = "self.map(k, k.size() + self[k].size()).sum() <= 262144";

    public static final String POD_ANNOTATIONS_SIZE_RULE = "self.map(k, k.size() + self[k].size()).sum() <= 261120";
    public static final String ANNOTATIONS_SIZE_MESSAGE = "annotations must total at most 256 KiB (keys and values)";

    /** Enough for any label or annotation map a person writes; keeps the CEL cost estimate small. */
    public static final int MAX_MAP_ENTRIES = 256;

    /*
     * Image reference, as the kubelet parses it: [domain[:port]/]path[:tag][@digest], path components
     * lower case. The name (before tag and digest) is at most 255 characters. Empty: the operator's image.
     */
    private static final String DOMAIN_COMPONENT = "[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?";
    private static final String DOMAIN = DOMAIN_COMPONENT + "([.]" + DOMAIN_COMPONENT + ")*(:[0-9]+)?";
    private static final String PATH_COMPONENT = "[a-z0-9]+(([._]|__|[-]+)[a-z0-9]+)*";
    private static final String TAG = ":[A-Za-z0-9_][-A-Za-z0-9_.]{0,127}";
    private static final String DIGEST = "@[A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    public static final String IMAGE = "^((" + DOMAIN + "/)?" + PATH_COMPONENT + "(/" + PATH_COMPONENT + ")*" + "("
            + TAG + ")?(" + DIGEST + ")?)?$";
    public static final String IMAGE_NAME_LENGTH_RULE = "self.matches('^[^@]{0,255}(" + TAG + ")?(@.*)?$')";
    public static final String IMAGE_NAME_LENGTH_MESSAGE =
            "the image name (before tag and digest) must be at most 255 characters";

    /** Operators of a node selector requirement, as a CEL list's elements. */
    static final String NODE_OPERATORS = "'In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'";

    private KubernetesSyntax() {}
}
