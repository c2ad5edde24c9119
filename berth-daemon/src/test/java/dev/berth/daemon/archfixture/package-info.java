/** Test fixtures that break the architecture rules on purpose: the ArchitectureTest shows each rule catches them. */
package dev.berth.daemon.archfixture;
