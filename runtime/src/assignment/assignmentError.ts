/** A reason the assignment can never succeed as asked (retrying will not help). */
export class AssignmentError extends Error {}
