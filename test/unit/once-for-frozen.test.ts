/** @module onceForFrozen: a passing verdict is remembered only for arrays that cannot change. */
import { describe, expect, it } from 'vitest'
import { onceForFrozen } from '../../src/services/once-for-frozen.ts'

describe('onceForFrozen', () => {
  const counted = () => {
    let calls = 0
    const check = onceForFrozen((values: readonly number[]) => {
      calls++
      return values.every((v) => v > 0)
    })
    return { check, calls: () => calls }
  }

  it('checks a frozen array once, however often it is asked', () => {
    const { check, calls } = counted()
    const shared = Object.freeze([1, 2, 3])
    expect([check(shared), check(shared), check(shared)]).toEqual([true, true, true])
    expect(calls()).toBe(1)
  })

  it('checks an array that may change every time', () => {
    const { check, calls } = counted()
    const mutable = [1, 2, 3]
    expect(check(mutable)).toBe(true)
    mutable.push(-1)
    expect(check(mutable)).toBe(false)
    expect(calls()).toBe(2)
  })

  it('never remembers a failing verdict', () => {
    const { check, calls } = counted()
    const bad = Object.freeze([1, -2])
    expect([check(bad), check(bad)]).toEqual([false, false])
    expect(calls()).toBe(2)
  })
})
