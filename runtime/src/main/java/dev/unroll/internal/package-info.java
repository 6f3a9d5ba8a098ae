/**
 * Helpers called by generated models. Not an API: names and signatures may change in any release,
 * together with the processor that writes the calls.
 */
package dev.unroll.internal;
