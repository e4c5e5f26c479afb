package dev.paint.demo; public final class DemoMain { public static void main(String[] a) {} }
