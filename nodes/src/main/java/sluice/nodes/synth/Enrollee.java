package sluice.nodes.synth;

/**
 * A person insured in some province's social insurance.
 *
 * @param migrant true when the person is a resident of another province who works here
 */
record Enrollee(Person person, boolean migrant) {}
