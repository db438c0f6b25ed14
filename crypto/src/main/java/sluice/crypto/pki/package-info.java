/**
 * The Sluice federation PKI: the national root CA, one intermediate CA per province, node
 * certificates for TLS (EC P-256) and for application signatures (SM2), their files on disk,
 * peer identification from verified certificate chains, and mutual-TLS contexts for gRPC.
 *
 * <p>Naming rules: every node certificate has subject {@code CN=<node id>,O=Sluice Federation}
 * and exactly one subjectAltName, the URI {@code sluice://<node id>}. The national node is
 * certified by the root; a provincial or department node only by the intermediate {@code
 * CN=Sluice CA prov-CC,O=Sluice Federation} of its own province, whose NameConstraints permit
 * only URIs with host {@code prov-CC}.
 */
package sluice.crypto.pki;
