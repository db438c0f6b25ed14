/** What every node checks of a private set intersection session as it passes. */
package sluice.gateway.psi;
